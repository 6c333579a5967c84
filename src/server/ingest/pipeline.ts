/**
 * The ingest pipeline shared by `POST /api/v1/ingest` and the OTLP endpoints:
 * validate each event (zod + time window) → redact (defaults + project rules) → enrich
 * (LLM cost from the price table, error fingerprint and group) → one atomic bulk write.
 * A bad event is rejected with reasons and never sinks its neighbours; if the write fails the
 * whole call throws and nothing is claimed as accepted.
 */
import { env } from "../env";
import { computeFingerprint, groupIdFor } from "../errors/fingerprint";
import { priceLlmCall } from "../llm/price-call";
import { cachedPriceTable, type PriceEntry } from "../llm/prices";
import { writeIsolatingUnstorable } from "./isolate";
import { validateEvents, type RejectedEvent, type ValidEvent } from "./normalize";
import { redactEvent, type CompiledRedaction } from "./redact";
import { serverSpanOf } from "./server-span";
import { cachedRedactionRules } from "./redaction-rules";
import type { EventType } from "@/server/vocabulary";
import type { MetricEvent } from "./schemas";
import type { MetricRow, PreparedBatch } from "./write";
import { metricRowExtras, type MetricRowExtras } from "./metric-deltas";
import type { DbPool } from "../db/sql";

export type { RejectedEvent, FieldError } from "./normalize";

export type IngestScope = { projectId: string; orgId: string };
type IngestOptions = {
  /** When the batch arrived; missing timestamps get it, the time window is measured from it. */
  receivedAt?: Date;
  maxPastSeconds?: number;
  maxFutureSeconds?: number;
};
type IngestResult = {
  /** Events stored or already stored under the same client id (retries): all committed. */
  accepted: number;
  rejected: RejectedEvent[];
  acceptedByType: Record<EventType, number>;
};

/** Thrown when the write failed: nothing of the batch was stored. */
export class IngestWriteError extends Error {
  constructor(cause: unknown) {
    super("Storing the batch failed; nothing was stored", { cause });
    this.name = "IngestWriteError";
  }
}

function metricSummary(e: MetricEvent): Pick<MetricRow, "value" | "count" | "sum" | "min" | "max"> {
  if (e.kind !== "histogram") return { value: e.value ?? null, count: null, sum: null, min: null, max: null };
  if (e.values) {
    let sum = 0;
    let min = Infinity;
    let max = -Infinity;
    for (const v of e.values) {
      sum += v;
      if (v < min) min = v;
      if (v > max) max = v;
    }
    return { value: null, count: e.values.length, sum, min, max };
  }
  return { value: null, count: e.count ?? null, sum: e.sum ?? null, min: e.min ?? null, max: e.max ?? null };
}

type PendingMetric = Omit<MetricRow, keyof MetricRowExtras>;

async function prepareBatch(db: DbPool, projectId: string, valid: ValidEvent[], rules: CompiledRedaction, prices: PriceEntry[]): Promise<PreparedBatch> {
  const batch: PreparedBatch = { logs: [], requests: [], errors: [], llm: [], spans: [], metrics: [], events: [], audit: [] };
  const pendingMetrics: PendingMetric[] = [];
  for (const { event, time, endTime } of valid) {
    const redactions = redactEvent(event as unknown as Record<string, unknown>, rules);
    switch (event.type) {
      case "log":
        batch.logs.push({ e: event, time, redactions });
        break;
      case "request": {
        batch.requests.push({ e: event, time, redactions });
        const span = endTime ? serverSpanOf(event, time, endTime) : null;
        // Written or refused together with its request (see isolate.ts).
        if (span && endTime) batch.spans.push({ e: span, time, endTime, redactions, of: event });
        break;
      }
      case "error": {
        const fp = computeFingerprint(event);
        batch.errors.push({ e: event, time, redactions, fp, groupId: groupIdFor(projectId, fp.hash) });
        break;
      }
      case "llm": {
        const cost = priceLlmCall(prices, { ...event, at: time });
        batch.llm.push({ e: event, time, redactions, cost });
        break;
      }
      case "span":
        batch.spans.push({ e: event, time, endTime: endTime ?? time, redactions });
        break;
      case "metric":
        pendingMetrics.push({ e: event, time, redactions, ...metricSummary(event) });
        break;
      case "event":
        batch.events.push({ e: event, time, redactions });
        break;
      case "audit":
        batch.audit.push({ e: event, time });
        break;
    }
  }
  if (pendingMetrics.length) {
    // After redaction: the series identity is taken from the attributes as stored.
    const extras = await metricRowExtras(db, projectId, pendingMetrics);
    batch.metrics = pendingMetrics.map((m, i) => ({ ...m, ...extras[i]! }));
  }
  return batch;
}

export async function ingestBatch(db: DbPool, { projectId }: IngestScope, rawEvents: unknown[], opts: IngestOptions = {}): Promise<IngestResult> {
  const receivedAt = opts.receivedAt ?? new Date();
  const { valid, rejected } = validateEvents(rawEvents, {
    receivedAt,
    maxPastSeconds: opts.maxPastSeconds ?? env.INGEST_MAX_PAST_SECONDS,
    maxFutureSeconds: opts.maxFutureSeconds ?? env.INGEST_MAX_FUTURE_SECONDS,
  });
  const acceptedByType: Record<EventType, number> = { log: 0, request: 0, error: 0, llm: 0, span: 0, metric: 0, event: 0, audit: 0 };
  if (valid.length) {
    const needsPrices = valid.some((v) => v.event.type === "llm");
    const [rules, prices] = await Promise.all([cachedRedactionRules(db, projectId), needsPrices ? cachedPriceTable(db, projectId) : Promise.resolve([])]);
    const batch = await prepareBatch(db, projectId, valid, rules, prices);
    let unstorable: Awaited<ReturnType<typeof writeIsolatingUnstorable>>;
    try {
      unstorable = await writeIsolatingUnstorable(db, projectId, batch);
    } catch (error) {
      throw new IngestWriteError(error);
    }
    const refused = new Map(unstorable.map((u) => [u.event, u.reason]));
    for (const v of valid) {
      const reason = refused.get(v.event);
      if (reason === undefined) acceptedByType[v.event.type] += 1;
      else
        rejected.push({
          index: v.index,
          ...(v.event.id === undefined ? {} : { id: v.event.id }),
          errors: [{ path: "", message: `a value cannot be stored: ${reason}` }],
        });
    }
    rejected.sort((a, b) => a.index - b.index);
  }
  return { accepted: Object.values(acceptedByType).reduce((a, b) => a + b, 0), rejected, acceptedByType };
}
