/**
 * Realistic sample traffic for the dashboard e2e: requests over the last three hours (a slow
 * endpoint, a failing one), three distinct exceptions, LLM calls across models, traces that link
 * spans, logs, errors and LLM calls, and product events from a few dozen users. Deterministic
 * (seeded), so the numbers the test reads are stable. Sent through POST /api/v1/ingest.
 */
import type { APIRequestContext } from "@playwright/test";

function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const ROUTES = [
  { method: "POST", route: "/api/chat", base: 900, failRate: 0.04 },
  { method: "GET", route: "/api/conversations/:id", base: 45, failRate: 0.01 },
  { method: "GET", route: "/api/search", base: 320, failRate: 0.02 },
  { method: "POST", route: "/api/checkout", base: 180, failRate: 0.25 },
  { method: "GET", route: "/health", base: 3, failRate: 0 },
];
const MODELS = [
  { provider: "openai", model: "gpt-4o", ttft: 380 },
  { provider: "openai", model: "gpt-4o-mini", ttft: 220 },
  { provider: "anthropic", model: "claude-3-5-sonnet", ttft: 520 },
];
const FEATURES = ["chat", "summarise", "search-rerank"];
const EVENTS = ["chat.sent", "document.uploaded", "search.run", "export.clicked"];

const frame = (filename: string, fn: string, lineno: number, inApp: boolean, context?: string) => ({
  filename,
  function: fn,
  lineno,
  colno: 12,
  in_app: inApp,
  ...(context ? { context_line: context } : {}),
});
export const EXCEPTIONS = [
  {
    type: "TypeError",
    value: "Cannot read properties of undefined (reading 'id')",
    frames: [
      frame("node_modules/next/dist/server/base-server.js", "handleRequest", 812, false),
      frame("src/app/api/chat/route.ts", "POST", 41, true, "const convo = await loadConversation(body.conversation.id);"),
      frame("src/server/chat/history.ts", "loadConversation", 17, true, "return db.find(conversation.id);"),
    ],
  },
  {
    type: "CardDeclinedError",
    value: "Payment provider declined the card",
    frames: [
      frame("node_modules/stripe/lib/StripeResource.js", "_request", 231, false),
      frame("src/server/billing/charge.ts", "chargeCart", 88, true, "throw new CardDeclinedError(result.decline_code);"),
    ],
  },
  {
    type: "TimeoutError",
    value: "LLM provider did not answer within 30000 ms",
    frames: [
      frame("node_modules/openai/core.js", "makeRequest", 402, false),
      frame("src/server/llm/complete.ts", "complete", 56, true, "const res = await client.chat.completions.create(req, { timeout: 30_000 });"),
    ],
  },
];

const hex = (r: () => number, n: number) => Array.from({ length: n }, () => Math.floor(r() * 16).toString(16)).join("");

export function buildTraffic(now = Date.now(), seed = 7): Array<Record<string, unknown>> {
  const r = rng(seed);
  const out: Array<Record<string, unknown>> = [];
  const user = () => `user-${1 + Math.floor(r() * 40)}`;
  for (let i = 0; i < 600; i++) {
    const ep = ROUTES[Math.floor(r() * r() * ROUTES.length)]!;
    const t = now - Math.floor(r() * 3 * 3_600_000) - 60_000;
    const failed = r() < ep.failRate;
    const duration = Math.round(ep.base * (0.5 + r() * r() * 3) * (failed ? 1.5 : 1));
    const traceId = hex(r, 32);
    const rootSpan = hex(r, 16);
    const uid = user();
    const environment = r() < 0.8 ? "production" : "staging";
    const common = { service: "web", environment, release: r() < 0.7 ? "web@1.4.0" : "web@1.3.2" };
    out.push({
      type: "request",
      ...common,
      timestamp: new Date(t).toISOString(),
      traceId,
      spanId: rootSpan,
      method: ep.method,
      route: ep.route,
      path: ep.route.replace(":id", String(1000 + i)),
      status: failed ? (ep.route === "/api/checkout" ? 402 : 500) : ep.method === "POST" ? 201 : 200,
      durationMs: duration,
      userId: uid,
    });
    if (i % 4 !== 0 && ep.route !== "/api/chat") continue;
    out.push({
      type: "span",
      ...common,
      traceId,
      spanId: rootSpan,
      name: `${ep.method} ${ep.route}`,
      kind: "server",
      startTime: t,
      endTime: t + duration,
      status: failed ? "error" : "ok",
      attributes: { "http.method": ep.method, "http.route": ep.route, "user.id": uid },
    });
    const dbSpan = hex(r, 16);
    const dbMs = Math.round(duration * 0.15);
    out.push({
      type: "span",
      ...common,
      traceId,
      spanId: dbSpan,
      parentSpanId: rootSpan,
      name: "SELECT conversations",
      kind: "client",
      startTime: t + 2,
      endTime: t + 2 + dbMs,
      status: "ok",
      attributes: { "db.system": "postgresql", "db.statement": "SELECT * FROM conversations WHERE id = $1" },
    });
    out.push({
      type: "log",
      ...common,
      traceId,
      spanId: rootSpan,
      timestamp: t + 1,
      level: "info",
      message: `${ep.method} ${ep.route} started`,
      attributes: { "http.route": ep.route },
      userId: uid,
    });
    if (ep.route === "/api/chat") {
      const m = MODELS[Math.floor(r() * MODELS.length)]!;
      const llmSpan = hex(r, 16);
      const llmStart = t + 4 + dbMs;
      const latency = Math.max(50, duration - dbMs - 10);
      const input = 400 + Math.floor(r() * 3000);
      const output = 50 + Math.floor(r() * 800);
      const llmFailed = failed && r() < 0.5;
      out.push({
        type: "span",
        ...common,
        traceId,
        spanId: llmSpan,
        parentSpanId: rootSpan,
        name: `chat ${m.model}`,
        kind: "client",
        startTime: llmStart,
        endTime: llmStart + latency,
        status: llmFailed ? "error" : "ok",
        attributes: { "gen_ai.system": m.provider, "gen_ai.request.model": m.model, "gen_ai.usage.input_tokens": input },
        events: [{ name: "first_token", timestamp: llmStart + m.ttft }],
      });
      out.push({
        type: "llm",
        ...common,
        traceId,
        spanId: llmSpan,
        timestamp: llmStart,
        provider: m.provider,
        model: m.model,
        inputTokens: input,
        cachedInputTokens: Math.floor(input * 0.3 * r()),
        outputTokens: output,
        reasoningTokens: m.model === "gpt-4o" ? 0 : Math.floor(output * 0.2 * r()),
        latencyMs: latency,
        timeToFirstTokenMs: m.ttft + Math.floor(r() * 200),
        status: llmFailed ? "error" : "ok",
        ...(llmFailed ? { errorType: "timeout" } : {}),
        userId: uid,
        feature: FEATURES[Math.floor(r() * FEATURES.length)],
      });
    }
    if (failed) {
      const ex = ep.route === "/api/checkout" ? EXCEPTIONS[1]! : ep.route === "/api/chat" && r() < 0.5 ? EXCEPTIONS[2]! : EXCEPTIONS[0]!;
      out.push({
        type: "error",
        ...common,
        traceId,
        spanId: rootSpan,
        timestamp: t + duration - 1,
        level: ex === EXCEPTIONS[1] ? "warning" : "error",
        exception: { values: [{ type: ex.type, value: ex.value, mechanism: { type: "onerror", handled: false }, stacktrace: { frames: ex.frames } }] },
        tags: { route: ep.route, browser: r() < 0.6 ? "Chrome" : "Firefox" },
        user: { id: uid },
      });
      out.push({
        type: "log",
        ...common,
        traceId,
        spanId: rootSpan,
        timestamp: t + duration - 1,
        level: "error",
        message: `${ex.type}: ${ex.value}`,
        attributes: { "http.route": ep.route },
        userId: uid,
      });
    }
  }
  for (let i = 0; i < 250; i++) {
    out.push({
      type: "event",
      service: "web",
      environment: "production",
      timestamp: now - Math.floor(r() * 3 * 3_600_000) - 60_000,
      name: EVENTS[Math.floor(r() * r() * EVENTS.length)],
      userId: user(),
    });
  }
  for (let i = 0; i < 60; i++) {
    out.push({
      type: "log",
      service: "worker",
      environment: "production",
      timestamp: now - Math.floor(r() * 3 * 3_600_000) - 60_000,
      level: r() < 0.2 ? "warn" : "debug",
      message: `queue depth ${Math.floor(r() * 50)} for job email.send`,
      attributes: { queue: "email" },
    });
  }
  return out;
}

/** POSTs the events in batches of at most 1000 and returns how many were accepted. */
export async function sendTraffic(request: APIRequestContext, ingestKey: string, events: Array<Record<string, unknown>>): Promise<number> {
  let accepted = 0;
  for (let i = 0; i < events.length; i += 1000) {
    const res = await request.post("/api/v1/ingest", { headers: { authorization: `Bearer ${ingestKey}` }, data: { batch: events.slice(i, i + 1000) } });
    const body = (await res.json()) as { accepted?: number; rejected?: unknown[] };
    if (!res.ok() || (body.rejected?.length ?? 0) > 0) throw new Error(`ingest answered ${res.status()}: ${JSON.stringify(body).slice(0, 800)}`);
    accepted += body.accepted ?? 0;
  }
  return accepted;
}
