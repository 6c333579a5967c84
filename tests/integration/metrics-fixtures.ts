import { randomUUID, createHash } from "node:crypto";
import { pool } from "@/server/db/pool";

/** Inserts plain rows (column → value) into a table with one parameterised multi-row INSERT. */
export async function insertRows(table: string, rows: Array<Record<string, unknown>>) {
  if (!rows.length) return;
  const columns = Object.keys(rows[0]!);
  const values: unknown[] = [];
  const tuples = rows.map(
    (row) =>
      `(${columns
        .map((c) => {
          values.push(row[c]);
          return `$${values.length}`;
        })
        .join(", ")})`,
  );
  await pool.query(`INSERT INTO ${table} (${columns.join(", ")}) VALUES ${tuples.join(", ")}`, values);
}

export const T0 = Date.parse("2026-11-20T10:00:00Z");
export const at = (ms: number) => new Date(T0 + ms);
export const RANGE = { from: new Date("2026-11-20T00:00:00Z"), to: new Date("2026-11-20T23:00:00Z"), timeZone: "UTC", filters: {} };
export const ROLLUP_NOW = new Date("2026-11-20T12:30:10Z");

/**
 * A small dataset whose answers are written out in the test: requests on two routes (+ an open
 * tail after ROLLUP_NOW), LLM calls on two models, two error groups, product events.
 */
export async function seedDataset(projectId: string) {
  const requests: Array<Record<string, unknown>> = [];
  for (let i = 1; i <= 200; i++)
    requests.push({
      project_id: projectId,
      time: at(i * 30_000),
      method: "POST",
      route: "/api/chat",
      path: "/api/chat",
      status: i % 10 === 0 ? 500 : 200,
      duration_ms: i,
      user_id: `u${i % 7}`,
      environment: "production",
      service: "web",
    });
  for (let i = 1; i <= 100; i++)
    requests.push({
      project_id: projectId,
      time: at(i * 60_000),
      method: "GET",
      route: "/api/users",
      path: `/api/users/${i}`,
      status: i % 25 === 0 ? 404 : 200,
      duration_ms: 10 * i,
      user_id: `u${i % 5}`,
      environment: "production",
      service: "web",
    });
  for (let i = 1; i <= 10; i++)
    requests.push({
      project_id: projectId,
      time: new Date(Date.parse("2026-11-20T12:30:05Z") + i),
      method: "POST",
      route: "/api/chat",
      path: "/api/chat",
      status: 200,
      duration_ms: 5000,
      user_id: "u0",
      environment: "production",
      service: "web",
    });
  await insertRows("requests", requests);

  const llm: Array<Record<string, unknown>> = [];
  for (let i = 1; i <= 30; i++)
    llm.push({
      project_id: projectId,
      time: at(i * 120_000),
      provider: "openai",
      model: "gpt-4o",
      operation: "chat",
      input_tokens: 1000,
      cached_input_tokens: 100,
      output_tokens: 200,
      reasoning_tokens: 0,
      latency_ms: 500 + i * 10,
      ttft_ms: 100 + i,
      status: i % 10 === 0 ? "error" : "ok",
      cost_usd: "0.01",
      cost_source: "table",
      user_id: `u${i % 3}`,
      feature: "chat",
      environment: "production",
      trace_id: `trace-${i}`,
    });
  for (let i = 1; i <= 20; i++)
    llm.push({
      project_id: projectId,
      time: at(i * 180_000),
      provider: "anthropic",
      model: "claude-sonnet-4",
      operation: "chat",
      input_tokens: 2000,
      cached_input_tokens: 0,
      output_tokens: 400,
      reasoning_tokens: 50,
      latency_ms: 1000 + i * 20,
      ttft_ms: 200 + i,
      status: "ok",
      cost_usd: "0.02",
      cost_source: "table",
      user_id: `u${i % 4}`,
      feature: "summarize",
      environment: "production",
    });
  await insertRows("llm_calls", llm);

  const g1 = randomUUID();
  const g2 = randomUUID();
  const fp = (s: string) =>
    createHash("sha256")
      .update(s + projectId)
      .digest("hex");
  await insertRows("error_groups", [
    {
      project_id: projectId,
      id: g1,
      fingerprint: fp("g1"),
      title: "TypeError: x is undefined",
      culprit: "app/chat.ts in send",
      level: "error",
      status: "unresolved",
      count: 15,
      first_seen: at(0),
      last_seen: at(15 * 60_000),
    },
    {
      project_id: projectId,
      id: g2,
      fingerprint: fp("g2"),
      title: "Timeout",
      culprit: "app/db.ts",
      level: "warning",
      status: "resolved",
      count: 5,
      first_seen: at(0),
      last_seen: at(5 * 60_000),
    },
  ]);
  const errors: Array<Record<string, unknown>> = [];
  for (let i = 1; i <= 15; i++)
    errors.push({
      project_id: projectId,
      group_id: g1,
      time: at(i * 60_000),
      level: "error",
      title: "TypeError: x is undefined",
      environment: "production",
      release: i <= 10 ? "v1" : "v2",
      user_id: `u${i % 5}`,
      tags: JSON.stringify({ browser: i % 2 ? "firefox" : "chrome" }),
      exception: JSON.stringify({
        values: [
          { type: "TypeError", value: `x is undefined ${i}`, stacktrace: { frames: [{ filename: "app/chat.ts", function: "send", lineno: i, in_app: true }] } },
        ],
      }),
    });
  for (let i = 1; i <= 5; i++)
    errors.push({
      project_id: projectId,
      group_id: g2,
      time: at(i * 60_000),
      level: "warning",
      title: "Timeout",
      environment: "staging",
      release: "v1",
      user_id: "u9",
      tags: "{}",
    });
  await insertRows("error_events", errors);

  const events: Array<Record<string, unknown>> = [];
  for (let i = 1; i <= 40; i++)
    events.push({ project_id: projectId, time: at(i * 90_000), name: "chat.sent", user_id: `u${i % 8}`, environment: "production" });
  for (let i = 1; i <= 5; i++) events.push({ project_id: projectId, time: at(i * 90_000), name: "export", user_id: "u1", environment: "production" });
  await insertRows("product_events", events);
  return { g1, g2 };
}
