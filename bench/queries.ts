/**
 * Dashboard query benchmark: `npm run bench:queries [-- --events N] [-- --runs N] [-- --keep]`.
 *
 * Creates a fresh database, bulk-loads N events (default 10 000 000) over the last 30 days in SQL
 * (generate_series; 90% for the measured project, 10% spread over three others) plus, for the
 * measured project, `--metric-points N` metric points (default 1 000 000: 75% one cumulative counter
 * in 20 series, 15% a gauge on 10 hosts, 10% an explicit-bucket histogram on 4 queues), runs the rollup
 * job once, then calls every dashboard function the routers call — over the last 24 hours and the
 * last 30 days — with rollups and with raw rows only, and prints p50/p95 per query and the ratio; the
 * rollup columns also give the first (cold) run, right after the previous query's raw scans, and the
 * warm p95 without it. Ends with `slowest warm rollup p95 ms: N` and `slowest rollup p95 ms: N,
 * smallest speedup: Nx` (cold run included) over the rollup-backed queries.
 * `--explain` times each statement of a query alone (EXPLAIN ANALYZE) and prints the slowest one's plan;
 * `--profile` prints the slowest statements of each query; `--reuse URL` skips loading and measures
 * a database a previous `--keep` run left behind (with `--refold`, the rollup job runs on it first, at
 * the time it was loaded, so grains added since get folded); `--only TEXT` runs the queries whose name has TEXT.
 * `--citus` runs it all on the single Postgres and then on a loopback Citus cluster (coordinator + 2
 * workers) and ends with the slowest dashboard p95 of each.
 */
import { createTestDatabase } from "../scripts/lib/test-database";

const args = process.argv.slice(2);
const flag = (name: string) => args.includes(`--${name}`);
const option = (name: string, fallback: number) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const EVENTS = option("events", 10_000_000);
const RUNS = option("runs", 15);
const RAW_RUNS = option("raw-runs", 5);
const METRIC_POINTS = option("metric-points", 1_000_000);

if (flag("citus")) {
  const { compareOnCitus, figure } = await import("./citus");
  const { single, citus } = await compareOnCitus("bench/queries.ts");
  const slowest = /slowest rollup p95 ms: (\d+)/;
  console.log(`\nslowest dashboard p95 ms: single ${figure(single, slowest)}, citus ${figure(citus, slowest)}`);
  process.exit(0);
}

const reuseIndex = args.indexOf("--reuse");
const db = reuseIndex >= 0 ? { url: args[reuseIndex + 1]!, drop: async () => {} } : await createTestDatabase("benchq");
const dropOnFailure = (error: unknown) => {
  console.error(error);
  void db.drop().finally(() => process.exit(1));
};
process.on("unhandledRejection", dropOnFailure);
process.on("uncaughtException", dropOnFailure);
process.env.DATABASE_URL = db.url;
process.env.LOG_LEVEL ??= "warn";
process.env.NEXTAUTH_SECRET ??= "bench-secret-bench-secret-bench-secret-0123";
process.env.DATABASE_POOL_MAX ??= "4";

const { endPools, jobPool, pool } = await import("../src/server/db/pool");
const { runRollup } = await import("../src/server/rollup/job");
const { getOverview } = await import("../src/server/dashboards/overview");
const { getPerformance } = await import("../src/server/dashboards/performance");
const { getLlmUsage } = await import("../src/server/dashboards/llm");
const { getUserActivity } = await import("../src/server/dashboards/users");
const { listErrorGroupsInRange: listErrorGroups, getErrorGroup } = await import("../src/server/dashboards/errors");
const { searchLogs } = await import("../src/server/dashboards/logs");
const { getLlmOverTime } = await import("../src/server/dashboards/llm");
const { getOrgPreset } = await import("../src/server/home/presets");
const { exploreMetric } = await import("../src/server/dashboards/metrics-explore");

const DAY = 86_400_000;
// A kept database is measured at the time it was loaded: its newest minute watermark, or, when a
// migration emptied the rollups, the minute of its newest request.
const reused =
  reuseIndex >= 0
    ? (
        await pool.query<{ t: Date }>(
          `SELECT coalesce((SELECT max(folded_until) FROM rollup_watermarks WHERE grain = 'minute'),
         date_trunc('minute', (SELECT max(time) FROM requests))) AS t`,
        )
      ).rows[0]!.t
    : undefined;
const now = reused ?? new Date();
const start = new Date(now.getTime() - 30 * DAY);

async function timed<T>(label: string, fn: () => Promise<T>): Promise<T> {
  const t = performance.now();
  const result = await fn();
  console.log(`${label}: ${((performance.now() - t) / 1000).toFixed(1)} s`);
  return result;
}

/** Share of events per table: requests 50%, product events 20%, LLM calls 15%, logs 10%, errors 5%. */
async function load(projectId: string, events: number) {
  const n = (share: number) => Math.max(1, Math.round(events * share));
  const t = (col = "i", total = "$2") => `$3::timestamptz + (${col}::float8 / ${total}) * interval '30 days' + random() * interval '1 second'`;
  await pool.query(
    `INSERT INTO requests (project_id, time, method, route, path, status, duration_ms, user_id, service, environment, received_at)
     SELECT $1, ${t()}, CASE WHEN i % 3 = 0 THEN 'POST' ELSE 'GET' END, '/api/r' || (i % 25), '/api/r' || (i % 25) || '/' || i,
       CASE WHEN random() < 0.02 THEN 500 WHEN random() < 0.05 THEN 404 ELSE 200 END,
       round((exp(random() * 6) * (1 + (i % 25) / 5.0))::numeric, 2), 'user-' || (i::bigint * 7919 % 800), 'web',
       CASE WHEN i % 10 = 0 THEN 'staging' ELSE 'production' END, now() - interval '1 hour'
     FROM generate_series(1, $2::int) i`,
    [projectId, n(0.5), start],
  );
  await pool.query(
    `INSERT INTO product_events (project_id, time, name, user_id, environment, received_at)
     SELECT $1, ${t()}, 'feature.' || (i % 30), 'user-' || (i::bigint * 104729 % 800), 'production', now() - interval '1 hour' FROM generate_series(1, $2::int) i`,
    [projectId, n(0.2), start],
  );
  await pool.query(
    `INSERT INTO llm_calls (project_id, time, provider, model, operation, input_tokens, cached_input_tokens, output_tokens, reasoning_tokens,
        latency_ms, ttft_ms, status, cost_usd, cost_source, user_id, feature, environment, trace_id, received_at)
     SELECT $1, ${t()}, (ARRAY['openai','openai','anthropic','google'])[1 + i % 4], (ARRAY['gpt-4o','gpt-4o-mini','claude-sonnet-4','gemini-2.5-flash'])[1 + i % 4],
       'chat', 500 + i % 3000, i % 500, 50 + i % 800, CASE WHEN i % 4 = 0 THEN i % 300 ELSE 0 END,
       round((200 + random() * 4000)::numeric, 1), round((50 + random() * 800)::numeric, 1),
       CASE WHEN random() < 0.01 THEN 'error' ELSE 'ok' END, round((0.0001 + random() * 0.05)::numeric, 6), 'table',
       'user-' || (i::bigint * 15485863 % 800), 'feature-' || (i % 8), 'production', md5(i::text), now() - interval '1 hour'
     FROM generate_series(1, $2::int) i`,
    [projectId, n(0.15), start],
  );
  await pool.query(
    `INSERT INTO logs (project_id, time, level, message, service, environment, attributes, received_at)
     SELECT $1, ${t()}, (ARRAY['debug','info','info','info','warn','error'])[1 + i % 6], 'handled request ' || i || ' for tenant ' || (i % 97),
       'web', 'production', jsonb_build_object('tenant', i % 97), now() - interval '1 hour' FROM generate_series(1, $2::int) i`,
    [projectId, n(0.1), start],
  );
  await pool.query(
    `INSERT INTO error_groups (project_id, id, fingerprint, title, culprit, level, status, count, first_seen, last_seen)
     SELECT $1::uuid, gen_random_uuid(), md5($1::uuid::text || g) || md5(g::text), 'Error ' || g, 'app/mod' || g || '.ts', 'error',
       (CASE WHEN g % 5 = 0 THEN 'resolved' ELSE 'unresolved' END)::"ErrorGroupStatus", 0, $2, $3
     FROM generate_series(1, 60) g`,
    [projectId, start, now],
  );
  // The group ids travel as a parameter (Citus cannot plan this INSERT with them in a CTE).
  const {
    rows: [groups],
  } = await pool.query<{ ids: string[] }>(`SELECT array_agg(id ORDER BY id) AS ids FROM error_groups WHERE project_id = $1`, [projectId]);
  await pool.query(
    `INSERT INTO error_events (project_id, group_id, time, level, title, environment, release, user_id, tags, received_at)
     SELECT $1, ($4::uuid[])[1 + (i::bigint * i % 60)::int], ${t()}, 'error', 'Error', CASE WHEN i % 10 = 0 THEN 'staging' ELSE 'production' END,
       'v' || (1 + i::bigint * 5 / $2::int), 'user-' || (i::bigint * 31 % 800), jsonb_build_object('browser', (ARRAY['chrome','firefox','safari'])[1 + i % 3]),
       now() - interval '1 hour'
     FROM generate_series(1, $2::int) i`,
    [projectId, n(0.05), start, groups!.ids],
  );
}

/** Metric points as ingest stores them (increases already computed), spread evenly over the 30 days. */
async function loadMetrics(projectId: string, points: number) {
  const t = `$3::timestamptz + (i::float8 / $2) * interval '30 days'`;
  const insert = (n: number, select: string) =>
    pool.query(
      `INSERT INTO metric_points (project_id, time, name, kind, unit, value, count, sum, min, max, buckets, attributes, metric_type, temporality,
         monotonic, series_id, delta, delta_count, delta_sum, delta_buckets, service, received_at)
       SELECT $1, ${t}, ${select}, 'api', now() - interval '1 hour' FROM generate_series(1, $2::int) i`,
      [projectId, n, start],
    );
  await insert(
    Math.round(points * 0.75),
    `'http.server.requests', 'counter', '{request}', i, NULL, NULL, NULL, NULL, NULL,
    jsonb_build_object('route', '/api/r' || (i % 10), 'method', CASE WHEN i % 20 < 10 THEN 'GET' ELSE 'POST' END), 'sum', 'cumulative', true,
    md5('requests' || (i % 20)), 1 + i % 5, NULL, NULL, NULL`,
  );
  await insert(
    Math.round(points * 0.15),
    `'queue.depth', 'gauge', NULL, (i % 97) + (i % 10) * 5, NULL, NULL, NULL, NULL, NULL,
    jsonb_build_object('host', 'h' || (i % 10)), 'gauge', NULL, NULL, md5('depth' || (i % 10)), NULL, NULL, NULL, NULL`,
  );
  await insert(
    Math.round(points * 0.1),
    `'job.ms', 'histogram', 'ms', NULL, 20, 20 * (i % 90), i % 50, 50 + i % 90, NULL,
    jsonb_build_object('queue', 'q' || (i % 4)), 'histogram', 'delta', NULL, md5('job' || (i % 4)), NULL, 20, 20 * (i % 90),
    jsonb_build_object('bounds', jsonb_build_array(10, 25, 50, 100, 250), 'counts', jsonb_build_array(i % 5, 4, 5 - i % 5, 4, 3, 4))`,
  );
}

async function setup() {
  const {
    rows: [org],
  } = await pool.query<{ id: string }>(`INSERT INTO organizations (slug, name) VALUES ('bench', 'Bench') RETURNING id`);
  const projects: string[] = [];
  for (let i = 0; i < 4; i++) {
    const {
      rows: [p],
    } = await pool.query<{ id: string }>(`INSERT INTO projects (org_id, slug, name) VALUES ($1, $2, $2) RETURNING id`, [org!.id, `p${i}`]);
    projects.push(p!.id);
  }
  await pool.query(`SET maintenance_work_mem = '512MB'`);
  await timed(`load ${EVENTS.toLocaleString("en")} events`, async () => {
    await load(projects[0]!, Math.round(EVENTS * 0.9));
    for (const p of projects.slice(1)) await load(p, Math.round((EVENTS * 0.1) / 3));
  });
  await timed(`load ${METRIC_POINTS.toLocaleString("en")} metric points`, () => loadMetrics(projects[0]!, METRIC_POINTS));
  await timed("vacuum analyze", () => pool.query("VACUUM ANALYZE"));
  await timed("first rollup (all grains, all projects)", () => runRollup(jobPool, { now }));
  await timed("steady-state rollup (nothing new)", () => runRollup(jobPool, { now: new Date(now.getTime() + 60_000) }));
  await pool.query("VACUUM ANALYZE");
  return projects[0]!;
}

const quantile = (xs: number[], q: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)]!;
};

/**
 * The first run is the cold one: it follows the previous query's raw scans (as a dashboard in
 * production meets caches churned by ingest and rollups). p50/p95 include it; the warm figures
 * are over the runs after it.
 */
async function measure(fn: () => Promise<unknown>, runs: number) {
  const times: number[] = [];
  for (let i = 0; i <= runs; i++) {
    const t = performance.now();
    await fn();
    times.push(performance.now() - t);
  }
  const warm = times.slice(1);
  return { cold: times[0]!, p50: quantile(times, 0.5), p95: quantile(times, 0.95), warmP95: quantile(warm, 0.95) };
}

async function busiestProject() {
  const { rows } = await pool.query<{ id: string }>(`SELECT project_id AS id FROM requests GROUP BY 1 ORDER BY count(*) DESC LIMIT 1`);
  return rows[0]!.id;
}

if (reused && flag("refold")) {
  await timed("rollup of the kept database", () => runRollup(jobPool, { now }));
  await pool.query("VACUUM ANALYZE");
}
const projectId = reused ? await busiestProject() : await setup();

/** Statement timings of the last profiled run (wraps pool.query). */
const statements: Array<{ ms: number; sql: string; values: unknown[] }> = [];
if (flag("profile") || flag("explain")) {
  const query = pool.query.bind(pool) as (...a: unknown[]) => Promise<unknown>;
  (pool as unknown as { query: unknown }).query = async (sql: string, values?: unknown[]) => {
    const t = performance.now();
    const result = await query(sql, values);
    statements.push({ ms: performance.now() - t, sql, values: values ?? [] });
    return result;
  };
}
const {
  rows: [org],
} = await pool.query<{ id: string }>(`SELECT org_id AS id FROM projects WHERE id = $1`, [projectId]);
const {
  rows: [group],
} = await pool.query<{ id: string }>(`SELECT group_id AS id FROM error_events WHERE project_id = $1 GROUP BY 1 ORDER BY count(*) DESC LIMIT 1`, [projectId]);

type Query = { name: string; rollupBacked: boolean; run: (rollups: boolean) => Promise<unknown> };
const queries: Query[] = [];
for (const [label, days] of [
  ["24h", 1],
  ["30d", 30],
] as const) {
  const base = () => ({ projectId, from: new Date(now.getTime() - days * DAY), to: now, timeZone: "UTC", filters: {} });
  queries.push(
    { name: `overview ${label}`, rollupBacked: true, run: (rollups) => getOverview(pool, { ...base(), rollups }) },
    { name: `performance ${label}`, rollupBacked: true, run: (rollups) => getPerformance(pool, { ...base(), rollups }) },
    { name: `llm ${label}`, rollupBacked: true, run: (rollups) => getLlmUsage(pool, { ...base(), rollups }) },
    { name: `llm by user ${label}`, rollupBacked: true, run: (rollups) => getLlmOverTime(pool, { ...base(), rollups, by: "user" }) },
    { name: `users ${label}`, rollupBacked: true, run: (rollups) => getUserActivity(pool, { ...base(), rollups }) },
    { name: `errors list ${label}`, rollupBacked: true, run: (rollups) => listErrorGroups(pool, { ...base(), rollups }) },
    { name: `error group ${label}`, rollupBacked: true, run: (rollups) => getErrorGroup(pool, { ...base(), rollups, groupId: group!.id }) },
    {
      name: `org home ${label}`,
      rollupBacked: true,
      run: (rollups) => getOrgPreset(pool, { orgId: org!.id, view: "engineering", range: { ...base(), rollups }, includeSpend: true }),
    },
    ...(
      [
        ["counter", "rate", ["route"]],
        ["gauge", "last", ["host"]],
        ["histogram", "p95", ["queue"]],
      ] as const
    ).map(([kind, aggregation, groupBy]) => ({
      name: `metrics ${kind} ${label}`,
      rollupBacked: true,
      run: (rollups: boolean) =>
        exploreMetric(pool, {
          ...base(),
          filters: [],
          rollups,
          name: { counter: "http.server.requests", gauge: "queue.depth", histogram: "job.ms" }[kind],
          kind,
          aggregation,
          groupBy: [...groupBy],
          top: 5,
        }),
    })),
    { name: `logs search ${label}`, rollupBacked: false, run: () => searchLogs(pool, { projectId, from: base().from, to: now, q: "tenant 42", limit: 50 }) },
  );
}

console.log(
  `\n${"query".padEnd(22)} ${"cold".padStart(8)} ${"rollup p50".padStart(11)} ${"rollup p95".padStart(11)} ${"warm p95".padStart(9)} ${"raw p50".padStart(10)} ${"raw p95".padStart(10)} ${"speedup".padStart(8)}`,
);
let slowest = 0;
let slowestWarm = 0;
let smallest = Infinity;
const only = args.indexOf("--only") >= 0 ? args[args.indexOf("--only") + 1]! : "";
for (const q of queries.filter((x) => x.name.includes(only))) {
  const withRollups = await measure(() => q.run(true), RUNS);
  const raw = q.rollupBacked ? await measure(() => q.run(false), RAW_RUNS) : withRollups;
  const ratio = raw.p95 / withRollups.p95;
  if (q.rollupBacked) {
    slowest = Math.max(slowest, withRollups.p95);
    slowestWarm = Math.max(slowestWarm, withRollups.warmP95);
    smallest = Math.min(smallest, ratio);
  }
  const f = (x: number, width = 10) => x.toFixed(1).padStart(width);
  console.log(
    `${q.name.padEnd(22)} ${f(withRollups.cold, 8)} ${f(withRollups.p50, 11)} ${f(withRollups.p95, 11)} ${f(withRollups.warmP95, 9)} ${f(raw.p50)} ${f(raw.p95)} ${q.rollupBacked ? `${ratio.toFixed(1)}x`.padStart(8) : "raw-only".padStart(8)}`,
  );
  if (flag("profile") || flag("explain")) {
    statements.length = 0;
    await q.run(true);
    const slow = [...statements].sort((a, b) => b.ms - a.ms);
    if (flag("profile")) {
      for (const st of slow.slice(0, option("top", 3))) console.log(`    ${st.ms.toFixed(1).padStart(8)} ms  ${st.sql.replace(/\s+/g, " ").slice(0, 160)}`);
    }
    if (flag("explain")) {
      // Statements of a page run in parallel, so wall times overlap: time each one alone, in turn.
      const alone: Array<{ ms: number; st: (typeof statements)[number] }> = [];
      for (const st of statements.filter((x) => /^\s*(SELECT|WITH)\b/i.test(x.sql))) {
        const { rows } = await pool.query(`EXPLAIN (ANALYZE, FORMAT JSON) ${st.sql}`, st.values);
        alone.push({ ms: (rows as Array<{ "QUERY PLAN": Array<{ "Execution Time": number }> }>)[0]!["QUERY PLAN"][0]!["Execution Time"], st });
      }
      alone.sort((a, b) => b.ms - a.ms);
      console.log(`    alone: ${alone.reduce((a, x) => a + x.ms, 0).toFixed(1)} ms in ${alone.length} statements`);
      for (const { ms, st } of alone.slice(0, option("top", 3)))
        console.log(`    ${ms.toFixed(1).padStart(8)} ms  ${st.sql.replace(/\s+/g, " ").slice(0, 160)}`);
      const { rows } = await pool.query(`EXPLAIN (ANALYZE, BUFFERS) ${alone[0]!.st.sql}`, alone[0]!.st.values);
      console.log((rows as Array<Record<string, string>>).map((r) => `    ${r["QUERY PLAN"]}`).join("\n"));
    }
  }
}

console.log(`\nslowest warm rollup p95 ms: ${Math.round(slowestWarm)}`);
console.log(`slowest rollup p95 ms: ${Math.round(slowest)}, smallest speedup: ${smallest.toFixed(1)}x`);
await endPools();
if (!flag("keep")) await db.drop();
else console.log(`kept database: ${db.url}`);
