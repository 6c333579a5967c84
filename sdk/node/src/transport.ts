/**
 * The batching transport: a bounded queue (drops and counts when full), batches of at most
 * `maxBatchEvents` events or `maxBatchBytes` bytes sent every `flushIntervalMs` (sooner when a
 * batch is full), gzip above `gzipAboveBytes`, retries with full-jitter backoff and
 * `Retry-After`. Every event carries a client id, so a batch retried after a lost response is
 * stored once. One request is in flight at a time; while it retries, new events wait in the
 * queue, so an unreachable portal costs the app the queue and nothing else. Nothing here throws
 * into the app.
 */
import { constants as zlibConstants, gzip } from "node:zlib";
import { promisify } from "node:util";
import { RETRYABLE_STATUS, fullJitterDelay, retryAfterMs } from "./backoff.js";
import { newEventId } from "./ids.js";
import { postBody, type PostResult } from "./post.js";

const gzipAsync = promisify(gzip) as (buf: Buffer, options: { level: number }) => Promise<Buffer>;

export type WireEvent = { type: string; id?: string; [key: string]: unknown };

export type TransportOptions = {
  url: string;
  apiKey: string;
  maxQueueSize: number;
  maxBatchEvents: number;
  maxBatchBytes: number;
  flushIntervalMs: number;
  gzipAboveBytes: number;
  maxAttempts: number;
  backoffBaseMs: number;
  backoffMaxMs: number;
  requestTimeoutMs: number;
  /** Told about dropped batches and rejected events; never given the app's data. */
  onDiagnostic?: (message: string, detail?: Record<string, unknown>) => void;
  /** For tests: replaces the HTTP call and the clock's waits. */
  post?: (url: string, headers: Record<string, string>, body: Buffer, timeoutMs: number) => Promise<PostResult>;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
};

export type TransportStats = {
  queued: number;
  sent: number;
  /** Events dropped because the queue was full. */
  droppedQueueFull: number;
  /** Events dropped because their batch failed for good (non-retryable status, attempts exhausted). */
  droppedFailed: number;
  rejected: number;
  retries: number;
  batches: number;
};

export class Transport {
  private queue: string[] = [];
  private queueIds: string[] = [];
  private timer: NodeJS.Timeout | null = null;
  private sending: Promise<void> | null = null;
  private closed = false;
  private unreported = 0;
  readonly stats: TransportStats = { queued: 0, sent: 0, droppedQueueFull: 0, droppedFailed: 0, rejected: 0, retries: 0, batches: 0 };
  private readonly post: NonNullable<TransportOptions["post"]>;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(private readonly options: TransportOptions) {
    this.post = options.post ?? postBody;
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms).unref()));
    this.timer = setInterval(() => void this.flush().catch(() => {}), options.flushIntervalMs);
    this.timer.unref();
  }

  /** Queues one event (serialised now, so later mutation by the app cannot change it). Never throws. */
  enqueue(event: WireEvent): void {
    if (this.closed) return;
    if (this.queue.length >= this.options.maxQueueSize) {
      this.stats.droppedQueueFull += 1;
      this.unreported += 1;
      return;
    }
    try {
      event.id ??= newEventId();
      this.queue.push(JSON.stringify(event));
      this.queueIds.push(event.id);
      this.stats.queued = this.queue.length;
    } catch {
      this.stats.droppedFailed += 1;
      return;
    }
    // A full batch goes at once; a partial one waits for the interval (or an explicit flush).
    if (this.queue.length >= this.options.maxBatchEvents && !this.sending) void this.startDrain(false);
  }

  get size(): number {
    return this.queue.length;
  }

  /**
   * Sends everything queued now (in batches); resolves when done or when `timeoutMs` passes
   * (default: one request timeout). The timeout timer keeps the process alive while an app
   * awaits this; the transport's own timers never do.
   */
  flush(timeoutMs = this.options.requestTimeoutMs): Promise<void> {
    const run = this.drainAll();
    let timer: NodeJS.Timeout | undefined;
    const limit = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, timeoutMs);
    });
    return Promise.race([run, limit]).finally(() => clearTimeout(timer));
  }

  /** Flushes within `timeoutMs` and stops the timer; later events are ignored. */
  async close(timeoutMs: number): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.flush(timeoutMs);
    this.closed = true;
  }

  private startDrain(all: boolean): Promise<void> {
    this.sending = this.drain(all).finally(() => {
      this.sending = null;
    });
    return this.sending;
  }

  /** Waits for a send in progress, then sends everything left. */
  private async drainAll(): Promise<void> {
    while (this.sending) await this.sending;
    if (this.queue.length || this.unreported) await this.startDrain(true);
  }

  /**
   * Sends full batches while there are any; with `all`, also whatever was queued when the flush
   * began — but not the trickle that arrives meanwhile, or a busy app would turn every flush
   * into an endless run of tiny batches.
   */
  private async drain(all: boolean): Promise<void> {
    let owed = all ? this.queue.length : 0;
    while (this.queue.length >= this.options.maxBatchEvents || (owed > 0 && this.queue.length > 0) || this.unreported) {
      if (this.unreported) this.reportDrops();
      const batch = this.takeBatch();
      if (!batch.length) break;
      owed -= batch.length;
      await this.sendBatch(batch);
    }
    this.stats.queued = this.queue.length;
  }

  /** Dropped events reported to the portal as a counter metric (Sentry's "client reports"). */
  private reportDrops(): void {
    const count = this.unreported;
    this.unreported = 0;
    const event = {
      type: "metric", id: newEventId(), timestamp: new Date().toISOString(), name: "sightline.sdk.dropped_events",
      kind: "counter", value: count, unit: "{event}", attributes: { reason: "queue_full" },
    };
    this.queue.unshift(JSON.stringify(event));
    this.queueIds.unshift(event.id);
  }

  private takeBatch(): string[] {
    const { maxBatchEvents, maxBatchBytes } = this.options;
    let bytes = 12;
    let n = 0;
    while (n < this.queue.length && n < maxBatchEvents) {
      const size = Buffer.byteLength(this.queue[n]!) + 1;
      if (n > 0 && bytes + size > maxBatchBytes) break;
      bytes += size;
      n += 1;
    }
    this.queueIds.splice(0, n);
    const batch = this.queue.splice(0, n);
    this.stats.queued = this.queue.length;
    return batch;
  }

  private async sendBatch(batch: string[]): Promise<void> {
    const o = this.options;
    let body: Buffer = Buffer.from(`{"batch":[${batch.join(",")}]}`);
    const headers: Record<string, string> = { "content-type": "application/json", authorization: `Bearer ${o.apiKey}`, "user-agent": "sightline-node/0.1.0" };
    if (body.length > o.gzipAboveBytes) {
      // Fastest level: most of gzip's gain on JSON for a fraction of the CPU of the default level.
      body = await gzipAsync(body, { level: zlibConstants.Z_BEST_SPEED });
      headers["content-encoding"] = "gzip";
    }
    this.stats.batches += 1;
    for (let attempt = 0; attempt < o.maxAttempts; attempt++) {
      const result = await this.post(o.url, headers, body, o.requestTimeoutMs).catch((error: unknown): PostResult => ({ status: 0, error }));
      if (result.status >= 200 && result.status < 300) {
        const rejected = countRejected(result.body);
        this.stats.sent += batch.length - rejected;
        this.stats.rejected += rejected;
        if (rejected) o.onDiagnostic?.(`the portal rejected ${rejected} event(s) of a batch`, { body: result.body?.slice(0, 2000) });
        return;
      }
      const retryable = result.status === 0 || RETRYABLE_STATUS.has(result.status);
      if (!retryable || attempt === o.maxAttempts - 1) {
        this.stats.droppedFailed += batch.length;
        o.onDiagnostic?.(`dropped a batch of ${batch.length} event(s): ${result.status ? `HTTP ${result.status}` : String(result.error)}`, { status: result.status });
        return;
      }
      this.stats.retries += 1;
      const wait = retryAfterMs(result.retryAfter, o.backoffMaxMs) ?? fullJitterDelay(attempt, { baseMs: o.backoffBaseMs, maxMs: o.backoffMaxMs, random: o.random });
      await this.sleep(wait);
    }
  }
}

function countRejected(body: string | undefined): number {
  if (!body || !body.includes("rejected")) return 0;
  try {
    const parsed = JSON.parse(body) as { rejected?: unknown };
    return Array.isArray(parsed.rejected) ? parsed.rejected.length : 0;
  } catch {
    return 0;
  }
}
