/**
 * `npm run bench:overload` — the portal under twice the load it can sustain.
 *
 * 1. Starts the real ingest route handlers in a separate production process against a throwaway
 *    database (bench/lib/ingest-server.ts).
 * 2. Measures the sustainable rate: OVERLOAD_CLIENTS closed-loop clients send 100-event batches for
 *    OVERLOAD_WARMUP_SECONDS (10); every answer is a 200, so requests/s is what the portal keeps up with.
 * 3. Sends at twice that rate, open loop (a new request every 1/(2·rate) s, whatever the answers),
 *    for OVERLOAD_SECONDS (60), each request with a 10 s client timeout.
 * 4. Prints the answers by status, timeouts and connection errors, the share answered within 1 s,
 *    the server's peak RSS, and `acknowledged = stored: yes|no` (events in 2xx answers against
 *    rows in the tables once everything has settled).
 */
import os from "node:os";
import { hex, makeEvent } from "./lib/events";
import { startBenchTarget } from "./lib/ingest-server";

const WARMUP_SECONDS = Number(process.env.OVERLOAD_WARMUP_SECONDS ?? 10);
const SECONDS = Number(process.env.OVERLOAD_SECONDS ?? 60);
const CLIENTS = Number(process.env.OVERLOAD_CLIENTS ?? 4);
const BATCH = 100;
const CLIENT_TIMEOUT_MS = 10_000;

const target = await startBenchTarget({ label: "overload" });
try {
  const now = Date.now();
  const templates = Array.from({ length: 8 }, (_, t) => JSON.stringify({ batch: Array.from({ length: BATCH }, (_, i) => makeEvent(t * BATCH + i, now)) }));
  const runId = hex(4);
  let sequence = 0;
  type Answer = { status: number | "timeout" | "error"; ms: number; accepted: number; retryAfter: string | null };
  const send = async (): Promise<Answer> => {
    const n = sequence++;
    const body = templates[n % templates.length]!.replaceAll("@@", `${runId}-${n}`);
    const started = performance.now();
    try {
      const res = await fetch(`${target.baseUrl}/api/v1/ingest`, {
        method: "POST",
        headers: { authorization: `Bearer ${target.key.secret}`, "content-type": "application/json" },
        body,
        signal: AbortSignal.timeout(CLIENT_TIMEOUT_MS),
      });
      const json = (await res.json()) as { accepted?: number };
      return { status: res.status, ms: performance.now() - started, accepted: res.ok ? (json.accepted ?? 0) : 0, retryAfter: res.headers.get("retry-after") };
    } catch (error) {
      const timeout = (error as Error).name === "TimeoutError";
      return { status: timeout ? "timeout" : "error", ms: performance.now() - started, accepted: 0, retryAfter: null };
    }
  };

  // Sustainable rate: closed loop, every answer must be a 200.
  let warmRequests = 0;
  const warmStart = performance.now();
  const warmDeadline = warmStart + WARMUP_SECONDS * 1000;
  await Promise.all(
    Array.from({ length: CLIENTS }, async () => {
      while (performance.now() < warmDeadline) {
        const a = await send();
        if (a.status !== 200) throw new Error(`the warm-up got ${a.status}: the sustainable rate is below ${CLIENTS} clients`);
        warmRequests++;
      }
    }),
  );
  const sustainable = warmRequests / ((performance.now() - warmStart) / 1000);
  await target.clearEvents();

  // Twice that, open loop.
  const rate = 2 * sustainable;
  const answers: Answer[] = [];
  const inflight: Promise<void>[] = [];
  const started = performance.now();
  let peakRssKb = 0;
  const sampler = setInterval(() => void target.stats().then((s) => (peakRssKb = Math.max(peakRssKb, s.rssKb))), 1000);
  for (let i = 0; ; i++) {
    const due = started + (i / rate) * 1000;
    if (due > started + SECONDS * 1000) break;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    inflight.push(send().then((a) => void answers.push(a)));
  }
  await Promise.all(inflight);
  clearInterval(sampler);
  const elapsed = (performance.now() - started) / 1000;
  const { maxRssKb } = await target.stats();
  const stored = await target.storedRows();
  const acknowledged = answers.reduce((n, a) => n + a.accepted, 0);

  const byStatus = new Map<string, number>();
  for (const a of answers) byStatus.set(String(a.status), (byStatus.get(String(a.status)) ?? 0) + 1);
  const refusedWithoutRetryAfter = answers.filter((a) => (a.status === 429 || a.status === 503) && !a.retryAfter).length;
  const within1s = answers.filter((a) => a.ms <= 1000).length / answers.length;
  const latencies = answers.map((a) => a.ms).sort((x, y) => x - y);
  const q = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))]!.toFixed(0);

  console.log(`overload bench: ${BATCH}-event batches, ${os.cpus().length} CPUs`);
  console.log(`sustainable: ${sustainable.toFixed(1)} requests/s (${CLIENTS} closed-loop clients, ${WARMUP_SECONDS} s, all 200)`);
  console.log(`offered: ${rate.toFixed(1)} requests/s open loop for ${SECONDS} s → ${answers.length} requests in ${elapsed.toFixed(1)} s`);
  console.log(
    `answers: ${[...byStatus.entries()]
      .sort()
      .map(([s, n]) => `${s}×${n}`)
      .join(", ")}; 429/503 without Retry-After: ${refusedWithoutRetryAfter}`,
  );
  console.log(`latency p50 ${q(0.5)} ms, p99 ${q(0.99)} ms, max ${q(1)} ms`);
  console.log(`server RSS: peak ${(maxRssKb / 1024).toFixed(0)} MiB (sampled during the overload: ${(peakRssKb / 1024).toFixed(0)} MiB)`);
  console.log(`acknowledged events: ${acknowledged}, stored rows: ${stored}`);
  console.log(`answered within 1 s: ${(within1s * 100).toFixed(1)}%`);
  console.log(`acknowledged = stored: ${acknowledged === stored ? "yes" : "no"}`);
  await target.stopServer();
} finally {
  await target.close();
}
