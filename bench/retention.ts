/**
 * Retention benchmark: `npm run bench:retention [-- --events N] [-- --seconds S]`.
 *
 * Loads N events (default 10 000 000, as bench:queries: requests 50%, product events 20%, LLM calls 15%,
 * logs 10%, errors 5%; 90% for one project, 10% over three others) evenly over the 31 days before now,
 * into the daily partitions the retention job would have created ahead of them. With the default 30-day
 * retention the oldest day has expired for every project, and one of the three small projects has a
 * 23-day policy, so its oldest week has expired too (row deletes, its neighbours keep those days).
 * Then measures ingest alone (real route handler in its own process, 4 clients × 500-event batches)
 * for S seconds (default 20), runs the retention job (archive before delete, to a temporary directory)
 * while the same ingest load runs, and prints the job's duration, what it removed, and ends with
 * `ingest during retention / ingest alone: X.XX`.
 */
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { startBenchTarget } from "./lib/ingest-server";
import { hex, makeEvent } from "./lib/events";

const args = process.argv.slice(2);
const option = (name: string, fallback: number) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const EVENTS = option("events", 10_000_000);
const SECONDS = option("seconds", 20);
const CLIENTS = 4;
const BATCH = 500;
const DAY = 86_400_000;

const target = await startBenchTarget({ label: "benchret" });
process.env.DATABASE_URL = target.db.url;
process.env.LOG_LEVEL ??= "warn";
process.env.NEXTAUTH_SECRET ??= "bench-secret-bench-secret-bench-secret-0123";
const { pool, endPools } = await import("../src/server/db/pool");
const { ensureDayPartition } = await import("../src/server/lifecycle/partitions");
const { RAW_KINDS } = await import("../src/server/lifecycle/kinds");
const { runRetention, summarise } = await import("../src/server/lifecycle/retention");
const { DirectoryArchiveStore } = await import("../src/server/lifecycle/archive-store");

async function timed<T>(label: string, fn: () => Promise<T>): Promise<T> {
  const t = performance.now();
  const result = await fn();
  console.log(`${label}: ${((performance.now() - t) / 1000).toFixed(1)} s`);
  return result;
}

/** Events spread evenly over [from, to) for one project, in the bench:queries mix. */
async function load(projectId: string, events: number, from: Date, to: Date) {
  const n = (share: number) => Math.max(1, Math.round(events * share));
  const span = `${(to.getTime() - from.getTime()) / 1000} seconds`;
  const t = `$3::timestamptz + (i::float8 / $2) * interval '${span}'`;
  const q = (sql: string, share: number, extra: unknown[] = []) => pool.query(sql, [projectId, n(share), from, ...extra]);
  await q(
    `INSERT INTO requests (project_id, time, method, route, path, status, duration_ms, user_id, service, environment)
     SELECT $1, ${t}, 'GET', '/api/r' || (i % 25), '/api/r' || (i % 25) || '/' || i, CASE WHEN i % 50 = 0 THEN 500 ELSE 200 END,
       (i % 900) + 0.5, 'user-' || (i % 800), 'web', 'production' FROM generate_series(1, $2::int) i`,
    0.5,
  );
  await q(
    `INSERT INTO product_events (project_id, time, name, user_id, environment)
     SELECT $1, ${t}, 'feature.' || (i % 30), 'user-' || (i % 800), 'production' FROM generate_series(1, $2::int) i`,
    0.2,
  );
  await q(
    `INSERT INTO llm_calls (project_id, time, provider, model, operation, input_tokens, output_tokens, latency_ms, status, cost_usd, cost_source, user_id)
     SELECT $1, ${t}, 'openai', 'gpt-4o', 'chat', 500 + i % 3000, 50 + i % 800, 200 + i % 4000, 'ok', 0.001, 'table', 'user-' || (i % 800)
     FROM generate_series(1, $2::int) i`,
    0.15,
  );
  await q(
    `INSERT INTO logs (project_id, time, level, message, service, environment, attributes)
     SELECT $1, ${t}, 'info', 'handled request ' || i || ' for tenant ' || (i % 97), 'web', 'production', jsonb_build_object('tenant', i % 97)
     FROM generate_series(1, $2::int) i`,
    0.1,
  );
  const {
    rows: [group],
  } = await pool.query<{ id: string }>(
    `INSERT INTO error_groups (project_id, id, fingerprint, title, level, first_seen, last_seen)
     VALUES ($1::uuid, gen_random_uuid(), md5($1::uuid::text) || md5('g'), 'Error', 'error', $2, $3) RETURNING id`,
    [projectId, from, to],
  );
  await q(
    `INSERT INTO error_events (project_id, group_id, time, level, title, user_id)
     SELECT $1, $4::uuid, ${t}, 'error', 'Error', 'user-' || (i % 800) FROM generate_series(1, $2::int) i`,
    0.05,
    [group!.id],
  );
}

/** Sends 500-event batches from CLIENTS loops until `until()` says stop; returns events/s accepted. */
async function ingestWhile(until: () => boolean): Promise<{ eventsPerSecond: number; seconds: number }> {
  const now = Date.now();
  const templates = Array.from({ length: 8 }, (_, t) => JSON.stringify({ batch: Array.from({ length: BATCH }, (_, i) => makeEvent(t * BATCH + i, now)) }));
  const runId = hex(4);
  let sent = 0;
  let accepted = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CLIENTS }, async () => {
      while (!until()) {
        const n = sent++;
        const res = await fetch(`${target.baseUrl}/api/v1/ingest`, {
          method: "POST",
          headers: { authorization: `Bearer ${target.key.secret}`, "content-type": "application/json" },
          body: templates[n % templates.length]!.replaceAll("@@", `${runId}-${n}`),
        });
        const json = (await res.json()) as { accepted?: number };
        if (res.status !== 200) throw new Error(`ingest answered ${res.status}: ${JSON.stringify(json).slice(0, 300)}`);
        accepted += json.accepted ?? 0;
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  return { eventsPerSecond: accepted / seconds, seconds };
}

async function main() {
  const now = new Date();
  const today = Math.floor(now.getTime() / DAY) * DAY;
  const from = new Date(today - 31 * DAY);
  const to = new Date(now.getTime() - 3_600_000);
  const {
    rows: [org],
  } = await pool.query<{ org_id: string }>(`SELECT org_id FROM projects WHERE id = $1`, [target.projectId]);
  const projects = [target.projectId];
  for (let i = 1; i <= 3; i++) {
    const {
      rows: [p],
    } = await pool.query<{ id: string }>(`INSERT INTO projects (org_id, slug, name) VALUES ($1, $2, $2) RETURNING id`, [org!.org_id, `small-${i}`]);
    projects.push(p!.id);
  }
  const short = projects[3]!;
  for (const kind of RAW_KINDS) await pool.query(`INSERT INTO retention_policies (project_id, kind, days) VALUES ($1, $2, 23)`, [short, kind]);

  await timed("create day partitions (what the daily job leaves behind)", async () => {
    for (const kind of RAW_KINDS) for (let d = today - 31 * DAY; d <= today + 7 * DAY; d += DAY) await ensureDayPartition(pool, kind, new Date(d));
  });
  await timed(`load ${EVENTS.toLocaleString("en")} events over 31 days`, async () => {
    await load(projects[0]!, Math.round(EVENTS * 0.9), from, to);
    for (const p of projects.slice(1)) await load(p, Math.round((EVENTS * 0.1) / 3), from, to);
  });
  await timed("vacuum analyze", () => pool.query("VACUUM ANALYZE"));

  // Warm the server, then ingest alone.
  let warm = 0;
  await ingestWhile(() => warm++ >= CLIENTS * 2);
  const aloneDeadline = performance.now() + SECONDS * 1000;
  const alone = await ingestWhile(() => performance.now() >= aloneDeadline);
  console.log(`ingest alone: ${alone.eventsPerSecond.toFixed(0)} events/s over ${alone.seconds.toFixed(1)} s`);

  const dir = await mkdtemp(path.join(os.tmpdir(), "sightline-bench-archive-"));
  let done = false;
  const started = performance.now();
  const job = runRetention(pool, { now, store: new DirectoryArchiveStore(dir) }).finally(() => (done = true));
  const during = await ingestWhile(() => done);
  const report = await job;
  const jobSeconds = (performance.now() - started) / 1000;
  const s = summarise(report);
  const perProject = projects.map((id) => report.projects.find((p) => p.projectId === id)?.kinds.reduce((n, k) => n + k.deleted, 0) ?? 0);
  console.log(
    `retention job: ${jobSeconds.toFixed(1)} s; ${report.partitions.dropped.length} day partitions dropped whole; ` +
      `${s.archived.toLocaleString("en")} rows archived, ${s.deleted.toLocaleString("en")} removed ` +
      `(per project: ${perProject.map((n) => n.toLocaleString("en")).join(" / ")}; the last one's oldest week by row deletes)`,
  );
  console.log(`ingest during retention: ${during.eventsPerSecond.toFixed(0)} events/s over ${during.seconds.toFixed(1)} s`);
  await rm(dir, { recursive: true, force: true });
  console.log(`ingest during retention / ingest alone: ${(during.eventsPerSecond / alone.eventsPerSecond).toFixed(2)}`);
}

try {
  await main();
} finally {
  await endPools();
  await target.close();
}
