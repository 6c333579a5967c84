/**
 * `npm run bench:sdk` — the SDK against its references, in one process, on one machine:
 * 1. log calls per second of the SDK logger vs pino, both writing JSON lines with three fields
 *    to a file on /dev/null (pino's own benchmark shape: 10 calls × N iterations);
 * 2. an Express hello-world served with and without the middleware + transport (sending to a
 *    loopback sink), requests per second over keep-alive connections;
 * 3. memory while logging for a while with the portal unreachable (bounded by the queue).
 * Prints `sdk/pino log ratio: X.XX` and `middleware throughput ratio: X.XX`.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import express from "express";
import pino from "pino";
import { expressMiddleware, fileSink, init, logger, shutdown, transportStats } from "@sightline/node";

const args = new Map(process.argv.slice(2).map((a) => a.replace(/^--/, "").split("=") as [string, string]));
const LOG_ITERATIONS = Number(args.get("log-iterations") ?? 10_000);
const HTTP_SECONDS = Number(args.get("http-seconds") ?? 1);
const HTTP_ROUNDS = Number(args.get("http-rounds") ?? 15);
const UNREACHABLE_SECONDS = Number(args.get("unreachable-seconds") ?? 60);
const ROUNDS = Number(args.get("rounds") ?? 5);

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

async function benchLogs(): Promise<number> {
  const pinoLog = pino(pino.destination({ dest: "/dev/null", sync: false, minLength: 4096 }));
  logger.remove();
  const sink = fileSink("/dev/null");
  logger.add(sink, { serialize: true, level: "info" });
  const fields = { user: "ann", amount: 42, plan: "pro" };
  const runPino = () => {
    const t = performance.now();
    for (let i = 0; i < LOG_ITERATIONS; i++) for (let j = 0; j < 10; j++) pinoLog.info(fields, "User paid");
    return performance.now() - t;
  };
  const runSdk = () => {
    const t = performance.now();
    for (let i = 0; i < LOG_ITERATIONS; i++) for (let j = 0; j < 10; j++) logger.info("User {user} paid", fields);
    return performance.now() - t;
  };
  const pinoMs: number[] = [];
  const sdkMs: number[] = [];
  runPino();
  runSdk();
  for (let r = 0; r < ROUNDS; r++) {
    pinoMs.push(runPino());
    await new Promise((res) => setImmediate(res));
    sdkMs.push(runSdk());
    await new Promise((res) => setImmediate(res));
  }
  await sink.flush();
  logger.remove();
  const calls = LOG_ITERATIONS * 10;
  const pinoRate = calls / (median(pinoMs) / 1000);
  const sdkRate = calls / (median(sdkMs) / 1000);
  console.log(`pino:       ${Math.round(pinoRate).toLocaleString("en")} log calls/s (median of ${ROUNDS} × ${calls} calls)`);
  console.log(`sightline:  ${Math.round(sdkRate).toLocaleString("en")} log calls/s`);
  return sdkRate / pinoRate;
}

/** Fixed-concurrency keep-alive load for `seconds`; returns requests per second. */
async function load(url: string, seconds: number, concurrency = 16): Promise<number> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
  let done = 0;
  const end = performance.now() + seconds * 1000;
  const worker = async () => {
    while (performance.now() < end) {
      await new Promise<void>((resolve, reject) => {
        http
          .get(url, { agent }, (res) => {
            res.resume();
            res.on("end", () => resolve());
          })
          .on("error", reject);
      });
      done++;
    }
  };
  const start = performance.now();
  await Promise.all(Array.from({ length: concurrency }, worker));
  const rate = done / ((performance.now() - start) / 1000);
  agent.destroy();
  return rate;
}

async function serve(app: express.Express): Promise<{ url: string; close: () => Promise<void> }> {
  const server = http.createServer(app);
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hello/42`,
    close: () =>
      new Promise((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

async function benchMiddleware(): Promise<number> {
  let received = 0;
  const sinkServer = http.createServer((req, res) => {
    req.on("data", () => {});
    req.on("end", () => {
      received++;
      res.writeHead(200, { "content-type": "application/json" }).end('{"accepted":0,"rejected":[]}');
    });
  });
  await new Promise<void>((r) => sinkServer.listen(0, "127.0.0.1", r));
  const endpoint = `http://127.0.0.1:${(sinkServer.address() as AddressInfo).port}`;

  const plain = express();
  plain.get("/hello/:id", (_req, res) => void res.send("hello"));
  const instrumented = express();
  instrumented.use(expressMiddleware());
  instrumented.get("/hello/:id", (_req, res) => void res.send("hello"));

  init({ apiKey: "sl_bench", endpoint, service: "bench", console: false });
  const a = await serve(plain);
  const b = await serve(instrumented);
  await load(a.url, 1);
  await load(b.url, 1);
  // Adjacent slices, alternating which goes first, so drifting load from other processes on the
  // machine hits both alike; the ratio is the median of the per-pair ratios.
  const plainRates: number[] = [];
  const sdkRates: number[] = [];
  const pairRatios: number[] = [];
  const cpuPerRequest = { plain: 0, sdk: 0, plainN: 0, sdkN: 0 };
  const measure = async (which: "plain" | "sdk") => {
    const cpu = process.cpuUsage();
    const t0 = performance.now();
    const n = await load(which === "plain" ? a.url : b.url, HTTP_SECONDS);
    const used = process.cpuUsage(cpu);
    const count = n * ((performance.now() - t0) / 1000);
    if (which === "plain") (cpuPerRequest.plain += used.user + used.system), (cpuPerRequest.plainN += count);
    else (cpuPerRequest.sdk += used.user + used.system), (cpuPerRequest.sdkN += count);
    return n;
  };
  for (let r = 0; r < HTTP_ROUNDS; r++) {
    let p: number;
    let q: number;
    if (r % 2 === 0) {
      p = await measure("plain");
      q = await measure("sdk");
    } else {
      q = await measure("sdk");
      p = await measure("plain");
    }
    plainRates.push(p);
    sdkRates.push(q);
    pairRatios.push(q / p);
  }
  const stats = transportStats();
  await shutdown(5000);
  await a.close();
  await b.close();
  sinkServer.close();
  console.log(
    `express hello-world: ${Math.round(median(plainRates)).toLocaleString("en")} req/s without, ${Math.round(median(sdkRates)).toLocaleString("en")} req/s with middleware + transport (medians of ${HTTP_ROUNDS} adjacent pairs of ${HTTP_SECONDS} s slices)`,
  );
  console.log(`  transport: ${stats?.batches} batches to the loopback sink (${received} received), ${stats?.droppedQueueFull} dropped (queue full)`);
  const perCpuSecond = cpuPerRequest.sdkN / cpuPerRequest.sdk / (cpuPerRequest.plainN / cpuPerRequest.plain);
  console.log(`  per-pair ratios: ${pairRatios.map((x) => x.toFixed(2)).join(" ")}; requests per CPU-second, with/without: ${perCpuSecond.toFixed(2)}`);
  return median(pairRatios);
}

async function benchUnreachable(): Promise<void> {
  // A port nothing listens on: every send fails fast with ECONNREFUSED and is retried with backoff.
  const probe = http.createServer();
  await new Promise<void>((r) => probe.listen(0, "127.0.0.1", r));
  const port = (probe.address() as AddressInfo).port;
  await new Promise<void>((r) => probe.close(() => r()));
  init({ apiKey: "sl_bench", endpoint: `http://127.0.0.1:${port}`, service: "bench", console: false });
  logger.remove();
  init({ apiKey: "sl_bench", endpoint: `http://127.0.0.1:${port}`, service: "bench", console: false });
  global.gc?.();
  const before = process.memoryUsage().heapUsed;
  let peak = before;
  let calls = 0;
  const end = Date.now() + UNREACHABLE_SECONDS * 1000;
  while (Date.now() < end) {
    for (let i = 0; i < 1000; i++) logger.info("order {id} placed", { id: calls++, total: 12.5, items: ["a", "b"] });
    await new Promise((r) => setTimeout(r, 5));
    peak = Math.max(peak, process.memoryUsage().heapUsed);
  }
  global.gc?.();
  const after = process.memoryUsage().heapUsed;
  const stats = transportStats();
  await shutdown(100);
  const mb = (n: number) => (n / 1048576).toFixed(1);
  console.log(
    `portal unreachable for ${UNREACHABLE_SECONDS} s: ${calls.toLocaleString("en")} log calls, heap ${mb(before)} MB → peak ${mb(peak)} MB → ${mb(after)} MB after; queue ${stats?.queued}/2048, dropped ${stats?.droppedQueueFull?.toLocaleString("en")} (queue full) + ${stats?.droppedFailed} (failed batches), ${stats?.retries} retries`,
  );
}

const logRatio = await benchLogs();
const mwRatio = await benchMiddleware();
await benchUnreachable();
console.log(`sdk/pino log ratio: ${logRatio.toFixed(2)}`);
console.log(`middleware throughput ratio: ${mwRatio.toFixed(2)}`);
process.exit(0);
