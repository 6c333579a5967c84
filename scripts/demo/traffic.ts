/**
 * Demo traffic: a realistic stretch of history for one project, sent through the real ingest
 * path (HTTP POST /api/v1/ingest with the project's ingest key, batches of ~500), so the demo
 * exercises validation, redaction, pricing and grouping exactly as production data does.
 *
 * Shape: requests on a diurnal curve over a handful of endpoints (two of them slow), a few
 * hundred users, LLM calls across several models with cached and reasoning tokens, traces that
 * link a request span to its LLM span, logs, product events, and errors from five distinct
 * stacks — one of which (PaymentError) stops in release 1.3.0 and comes back in 1.4.0, a
 * regression: the sender's `onRelease` hook resolves its group when 1.3.0 ships (see triage.ts),
 * and a live request failing with it after the history (liveTail) regresses the group.
 * Deterministic (seeded PRNG, client ids), so re-sending the same window stores nothing twice.
 */
import { z } from "zod";

export const ZTrafficWindow = z
  .string()
  .regex(/^\d+[hd]$/, "must look like 7d or 12h")
  .transform((w) => Number(w.slice(0, -1)) * (w.endsWith("d") ? 86_400_000 : 3_600_000))
  .refine((ms) => ms > 0 && ms <= 30 * 86_400_000, "must be at most 30d");

type Event = Record<string, unknown> & { type: string };

function prng(seed: number) {
  return () => {
    seed |= 0;
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const ENDPOINTS = [
  { method: "GET", route: "/api/conversations", ms: 40, weight: 30 },
  { method: "POST", route: "/api/chat", ms: 900, weight: 25, llm: "chat" },
  { method: "POST", route: "/api/summarize", ms: 2200, weight: 8, llm: "summarize" },
  { method: "GET", route: "/api/users/[id]", ms: 25, weight: 20 },
  { method: "GET", route: "/api/search", ms: 350, weight: 12 },
  { method: "POST", route: "/api/export", ms: 4000, weight: 5 },
];
const MODELS = [
  { provider: "openai", model: "gpt-4o-2024-08-06", weight: 35, reasoning: false },
  { provider: "openai", model: "gpt-4o-mini", weight: 30, reasoning: false },
  { provider: "anthropic", model: "claude-sonnet-4-20250514", weight: 20, reasoning: false },
  { provider: "openai", model: "o4-mini", weight: 10, reasoning: true },
  { provider: "google", model: "gemini-2.5-flash", weight: 5, reasoning: false },
];
const ERRORS = [
  { type: "TypeError", value: "Cannot read properties of undefined (reading 'messages')", file: "src/chat/history.ts", fn: "loadHistory", rate: 0.01 },
  { type: "TimeoutError", value: "upstream model did not answer within 30000 ms", file: "src/llm/client.ts", fn: "complete", rate: 0.006 },
  { type: "ValidationError", value: "conversation id must be a UUID", file: "src/api/validate.ts", fn: "parseParams", rate: 0.004 },
  { type: "PaymentError", value: "card declined for customer", file: "src/billing/charge.ts", fn: "chargeCustomer", rate: 0.01, regression: true },
  { type: "RangeError", value: "Maximum call stack size exceeded", file: "src/export/render.ts", fn: "renderNode", rate: 0.002 },
];
const FEATURES = ["chat.sent", "conversation.created", "summary.requested", "export.downloaded", "search.performed", "settings.changed"];

const pick = <T extends { weight: number }>(items: T[], r: number) => {
  const total = items.reduce((a, i) => a + i.weight, 0);
  let x = r * total;
  for (const item of items) if ((x -= item.weight) < 0) return item;
  return items[items.length - 1]!;
};
const hex = (rand: () => number, n: number) => Array.from({ length: n }, () => Math.floor(rand() * 16).toString(16)).join("");

type ErrorKind = (typeof ERRORS)[number];

/** One request at `t` with its span, log, and (as it happens) LLM call, error and product event. */
function* requestEvents(rand: () => number, options: { t: number; id: string; release: string; users: number; error?: ErrorKind }): Generator<Event> {
  const { t, id, release } = options;
  const at = new Date(t).toISOString();
  const ep = options.error ? ENDPOINTS.find((e) => e.route === "/api/chat")! : pick(ENDPOINTS, rand());
  const user = `user-${Math.floor(rand() ** 2 * options.users)}`;
  const traceId = hex(rand, 32);
  const rootSpan = hex(rand, 16);
  const duration = Math.round(ep.ms * Math.exp((rand() - 0.5) * 1.2) * 10) / 10;
  const error = options.error ?? ERRORS.find((e) => rand() < e.rate && !(e.regression && release === "1.3.0"));
  const status = error ? 500 : rand() < 0.03 ? 404 : 200;
  const common = { service: "demo-web", environment: rand() < 0.9 ? "production" : "staging", release };
  yield {
    type: "request",
    id: `${id}-r`,
    timestamp: at,
    ...common,
    method: ep.method,
    route: ep.route,
    path: ep.route.replace("[id]", String(Math.floor(rand() * 1000))),
    status,
    durationMs: duration,
    userId: user,
    traceId,
    spanId: rootSpan,
  };
  yield {
    type: "span",
    id: `${id}-s`,
    ...common,
    traceId,
    spanId: rootSpan,
    name: `${ep.method} ${ep.route}`,
    kind: "server",
    startTime: at,
    endTime: new Date(t + duration).toISOString(),
    status: status >= 500 ? "error" : "ok",
  };
  yield {
    type: "log",
    id: `${id}-l`,
    timestamp: at,
    ...common,
    level: status >= 500 ? "error" : status >= 400 ? "warn" : "info",
    message: `${ep.method} ${ep.route} ${status} in ${duration} ms`,
    logger: "http",
    userId: user,
    traceId,
    spanId: rootSpan,
    attributes: { route: ep.route, status },
  };
  if (ep.llm) {
    const m = pick(MODELS, rand());
    const input = 400 + Math.floor(rand() * 6000);
    const cached = rand() < 0.5 ? Math.floor(input * rand() * 0.8) : 0;
    const output = 50 + Math.floor(rand() * 900);
    const llmSpan = hex(rand, 16);
    const latency = Math.round(duration * 0.8);
    yield {
      type: "span",
      id: `${id}-ls`,
      ...common,
      traceId,
      spanId: llmSpan,
      parentSpanId: rootSpan,
      name: `chat ${m.model}`,
      kind: "client",
      startTime: at,
      endTime: new Date(t + latency).toISOString(),
      status: "ok",
      attributes: { "gen_ai.request.model": m.model },
    };
    yield {
      type: "llm",
      id: `${id}-m`,
      timestamp: at,
      ...common,
      provider: m.provider,
      model: m.model,
      operation: "chat",
      inputTokens: input,
      cachedInputTokens: cached,
      outputTokens: output,
      reasoningTokens: m.reasoning ? Math.floor(output * 0.6) : 0,
      latencyMs: latency,
      timeToFirstTokenMs: Math.round(latency * (0.1 + rand() * 0.2)),
      status: rand() < 0.015 ? "error" : "ok",
      userId: user,
      feature: ep.llm,
      traceId,
      spanId: llmSpan,
    };
  }
  if (error) {
    yield {
      type: "error",
      id: `${id}-e`,
      timestamp: at,
      ...common,
      level: "error",
      traceId,
      spanId: rootSpan,
      user: { id: user },
      tags: { route: ep.route, browser: rand() < 0.6 ? "chrome" : "firefox" },
      exception: {
        values: [
          {
            type: error.type,
            value: error.value,
            stacktrace: {
              frames: [
                { filename: "node_modules/next/dist/server/base-server.js", function: "handleRequest", lineno: 412, in_app: false },
                { filename: "src/app/api/handler.ts", function: "route", lineno: 31, in_app: true },
                { filename: error.file, function: error.fn, lineno: 57 + (release === "1.4.0" ? 3 : 0), in_app: true },
              ],
            },
          },
        ],
      },
    };
  }
  if (rand() < 0.6)
    yield {
      type: "event",
      id: `${id}-p`,
      timestamp: at,
      ...common,
      name: FEATURES[Math.floor(rand() * FEATURES.length)]!,
      userId: user,
      properties: { plan: rand() < 0.2 ? "pro" : "free" },
    };
}

/** The release live at `progress` (0..1) through the window: 1.2.0, then 1.3.0 from 30 %, 1.4.0 from 60 %. */
const releaseAt = (progress: number) => (progress < 0.3 ? "1.2.0" : progress < 0.6 ? "1.3.0" : "1.4.0");
const REGRESSED_ERROR = ERRORS.find((e) => e.regression)!;
export const REGRESSION = { type: REGRESSED_ERROR.type, fixedIn: "1.3.0", backIn: "1.4.0" } as const;

/** Yields every event of the window [now − window, now), oldest first. */
export function* generateTraffic(options: { windowMs: number; now: Date; requestsPerHour?: number; users?: number }): Generator<Event> {
  const rand = prng(42);
  const users = options.users ?? 300;
  const perHour = options.requestsPerHour ?? 120;
  const end = Math.floor(options.now.getTime() / 3_600_000) * 3_600_000;
  const start = end - options.windowMs;
  for (let hour = start; hour < end; hour += 3_600_000) {
    const h = new Date(hour).getUTCHours();
    const diurnal = 0.25 + 0.75 * Math.max(0, Math.sin(((h - 6) / 24) * 2 * Math.PI));
    const weekday = new Date(hour).getUTCDay() % 6 === 0 ? 0.6 : 1;
    const count = Math.round(perHour * diurnal * weekday);
    const release = releaseAt((hour - start) / options.windowMs);
    for (let i = 0; i < count; i++) {
      const t = hour + Math.floor(rand() * 3_600_000);
      // The window's first request fails with the error that 1.3.0 fixes, so any window has it before the fix.
      const error = hour === start && i === 0 ? REGRESSED_ERROR : undefined;
      yield* requestEvents(rand, { t, id: `demo-${t}-${i}`, release, users, error });
    }
  }
}

/**
 * The live end of the demo: a request failing with the regressed error at `at` (the current time,
 * after the history was sent). Ingest judges a regression by event time against the group's
 * resolution time, so late history from before the resolution (the backfilled 1.4.0 events)
 * rightly leaves a resolved group alone; this event, newer than the resolution, regresses it.
 * Its client ids derive from the window's `now`, so re-sending the same window adds nothing.
 */
export function* liveTail(options: { now: Date; at: Date; users?: number }): Generator<Event> {
  yield* requestEvents(prng(7), {
    t: options.at.getTime(),
    id: `demo-live-${options.now.getTime()}`,
    release: REGRESSION.backIn,
    users: options.users ?? 300,
    error: REGRESSED_ERROR,
  });
}

export type TrafficResult = { sent: number; accepted: number; rejected: number; batches: number };

/**
 * Sends the window's events to `baseUrl`/api/v1/ingest in batches, then the live tail; stops on the
 * first non-2xx answer. `onRelease(release)` runs when a release ships (its first event is next),
 * after everything before it was sent: the demo triages there as a user would.
 */
export async function sendDemoTraffic(options: {
  baseUrl: string;
  ingestKey: string;
  windowMs: number;
  now?: Date;
  batchSize?: number;
  onProgress?: (r: TrafficResult) => void;
  onRelease?: (release: string) => Promise<void>;
}): Promise<TrafficResult> {
  const result: TrafficResult = { sent: 0, accepted: 0, rejected: 0, batches: 0 };
  const batchSize = options.batchSize ?? 500;
  const now = options.now ?? new Date();
  let batch: Event[] = [];
  const flush = async () => {
    if (!batch.length) return;
    const response = await fetch(`${options.baseUrl}/api/v1/ingest`, {
      method: "POST",
      headers: { "Content-Type": "application/json", Authorization: `Bearer ${options.ingestKey}` },
      body: JSON.stringify({ batch }),
    });
    if (response.status !== 200 && response.status !== 207) throw new Error(`ingest answered ${response.status}: ${(await response.text()).slice(0, 300)}`);
    const body = (await response.json()) as { accepted: number; rejected: unknown[] };
    result.sent += batch.length;
    result.accepted += body.accepted;
    result.rejected += body.rejected.length;
    result.batches += 1;
    options.onProgress?.(result);
    batch = [];
  };
  let release: unknown;
  for (const event of generateTraffic({ windowMs: options.windowMs, now })) {
    if (event.release !== release) {
      if (release !== undefined && options.onRelease) {
        await flush();
        await options.onRelease(String(event.release));
      }
      release = event.release;
    }
    batch.push(event);
    if (batch.length >= batchSize) await flush();
  }
  await flush();
  // Timestamped when sent, so it is newer than anything triaged above.
  batch.push(...liveTail({ now, at: new Date() }));
  await flush();
  return result;
}
