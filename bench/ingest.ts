/**
 * `npm run bench:ingest` — ingest throughput against the raw COPY speed of the same tables.
 *
 * 1. Creates a throwaway database on the test Postgres (TEST_DATABASE_BASE_URL / DATABASE_URL /
 *    postgres://postgres@127.0.0.1:5432/postgres) and applies the migrations.
 * 2. Starts the server in a SEPARATE Node process (bench/lib/ingest-server.ts, NODE_ENV=production)
 *    serving the real `POST /api/v1/ingest` route handler over loopback HTTP (the same handler
 *    `next start` serves; no Next.js build needed), so client and server do not share an event loop.
 * 3. BENCH_CLIENTS concurrent clients send mixed 500-event batches (all seven types, realistic
 *    sizes, unique client ids) for BENCH_SECONDS.
 * 4. COPYs the same number of equivalent rows per table into the same tables (psql \copy).
 * 5. Prints events/s, rows/s, their ratio, p50/p99 latency, the server's peak RSS, and ends with
 *    `ingest/copy ratio: X.XX`. `--citus` runs all of it on the single Postgres and then on a
 *    loopback Citus cluster (coordinator + 2 workers) and ends with `citus/single ingest ratio: X.XX`
 *    (events/s on the cluster over events/s on one Postgres). BENCH_PROFILE=1 also writes a CPU profile of the server to
 *    $TMPDIR/sightline-bench-profiles/ and prints its top functions by self time.
 */
import { copyRows } from "./lib/copy";
import { startBenchTarget } from "./lib/ingest-server";
import { hex, makeEvent } from "./lib/events";
import { summariseProfile } from "./lib/profile";
import { mkdirSync, readdirSync, rmSync, statSync } from "node:fs";
import os from "node:os";
import path from "node:path";

const SECONDS = Number(process.env.BENCH_SECONDS ?? 20);
const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 4);
const BATCH = 500;
const PROFILE = process.env.BENCH_PROFILE === "1";
const profileDir = path.join(os.tmpdir(), "sightline-bench-profiles");

// ---- main ---------------------------------------------------------------------------------
async function main() {
  if (PROFILE) {
    rmSync(profileDir, { recursive: true, force: true });
    mkdirSync(profileDir, { recursive: true });
  }
  const target = await startBenchTarget({ label: "bench", nodeArgs: PROFILE ? ["--cpu-prof", `--cpu-prof-dir=${profileDir}`] : [] });
  const { key, baseUrl, projectId } = target;
  try {
    if (process.env.BENCH_DEBUG) console.error("server at", baseUrl);

    const now = Date.now();
    const templates = Array.from({ length: 8 }, (_, t) => JSON.stringify({ batch: Array.from({ length: BATCH }, (_, i) => makeEvent(t * BATCH + i, now)) }));
    const bodyBytes = templates[0]!.length;
    const runId = hex(4);
    let sent = 0;
    const send = async (n: number) => {
      const body = templates[n % templates.length]!.replaceAll("@@", `${runId}-${n}`);
      const started = performance.now();
      const res = await fetch(`${baseUrl}/api/v1/ingest`, {
        method: "POST",
        headers: { authorization: `Bearer ${key.secret}`, "content-type": "application/json" },
        body,
      });
      const json = (await res.json()) as { accepted?: number };
      if (res.status !== 200) throw new Error(`ingest answered ${res.status}: ${JSON.stringify(json).slice(0, 300)}`);
      return { ms: performance.now() - started, accepted: json.accepted ?? 0 };
    };
    for (let w = 0; w < 4; w++) await send(1_000_000 + w);
    if (process.env.BENCH_DEBUG) console.error("warm-up done");
    await target.clearEvents();

    const latencies: number[] = [];
    let accepted = 0;
    const started = performance.now();
    const deadline = started + SECONDS * 1000;
    await Promise.all(
      Array.from({ length: CLIENTS }, async () => {
        while (performance.now() < deadline) {
          const r = await send(sent++);
          latencies.push(r.ms);
          accepted += r.accepted;
        }
      }),
    );
    const httpSeconds = (performance.now() - started) / 1000;
    const { maxRssKb } = await target.stats();
    const stored = await target.storedRows();
    await target.stopServer();

    const copy = copyRows(target.db.url, projectId, accepted);
    latencies.sort((a, b) => a - b);
    const q = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))]!.toFixed(1);
    const eventsPerSecond = accepted / httpSeconds;
    const rowsPerSecond = copy.rows / copy.seconds;
    console.log(
      `ingest bench: ${CLIENTS} clients × ${BATCH}-event batches (${(bodyBytes / 1024).toFixed(0)} KiB JSON) for ${SECONDS} s, ${os.cpus().length} CPUs`,
    );
    console.log(
      `HTTP: ${latencies.length} requests, ${accepted} events accepted (${stored} rows stored) in ${httpSeconds.toFixed(2)} s → ${eventsPerSecond.toFixed(0)} events/s`,
    );
    console.log(`COPY: ${copy.rows} rows in ${copy.seconds.toFixed(2)} s → ${rowsPerSecond.toFixed(0)} rows/s`);
    console.log(`latency p50 ${q(0.5)} ms, p99 ${q(0.99)} ms; server peak RSS ${(maxRssKb / 1024).toFixed(0)} MiB`);
    if (PROFILE) {
      const file = readdirSync(profileDir)
        .filter((f) => f.endsWith(".cpuprofile"))
        .map((f) => path.join(profileDir, f))
        .sort((a, b) => statSync(b).size - statSync(a).size)[0];
      if (file) summariseProfile(file);
    }
    console.log(`ingest/copy ratio: ${(eventsPerSecond / rowsPerSecond).toFixed(2)}`);
  } finally {
    await target.close();
  }
}

async function compareWithCitus() {
  const { compareOnCitus, figure } = await import("./citus");
  const { single, citus } = await compareOnCitus("bench/ingest.ts");
  const eventsPerSecond = /→ (\d+) events\/s/;
  const copyRatio = /ingest\/copy ratio: ([\d.]+)/;
  const [s, c] = [figure(single, eventsPerSecond), figure(citus, eventsPerSecond)];
  console.log(`\nsingle: ${s} events/s (ingest/copy ${figure(single, copyRatio)}); citus: ${c} events/s (ingest/copy ${figure(citus, copyRatio)})`);
  console.log(`citus/single ingest ratio: ${(c / s).toFixed(2)}`);
}

(process.argv.includes("--citus") ? compareWithCitus() : main()).catch((error) => {
  console.error(error);
  process.exit(1);
});
