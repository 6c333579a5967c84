import { beforeAll, describe, expect, it } from "vitest";
import { pool } from "@/server/db/pool";
import { ZListErrorEventsQuery, ZListErrorGroupsQuery, listErrorEventsSql, listErrorGroupsSql } from "@/server/dashboards/error-groups";
import { ZListLlmCallsQuery, listLlmCallsSql } from "@/server/dashboards/llm-calls";
import { ZListLogsQuery, searchLogsSql } from "@/server/dashboards/logs";
import { ZMetricsSummaryQuery, summariseMetricsSql } from "@/server/dashboards/metrics-summary";
import { ZListProductEventsQuery, listProductEventsSql } from "@/server/dashboards/product-events";
import { ZListRequestsQuery, listRequestsSql } from "@/server/dashboards/requests";
import { getTraceSql } from "@/server/dashboards/traces";
import { encodeCursor } from "@/server/dashboards/cursor";
import { makeProjectWithKeys } from "./fixtures";

// Every read-API query is served by an index that leads with project_id (DESIGN.md "Scale"):
// with sequential scans disabled, the plan must reach the table through such an index only.

type Plan = { "Node Type": string; "Relation Name"?: string; "Index Name"?: string; Plans?: Plan[] };

function walk(plan: Plan, out: Plan[] = []): Plan[] {
  out.push(plan);
  for (const child of plan.Plans ?? []) walk(child, out);
  return out;
}

async function planOf(query: { text: string; values: unknown[] }): Promise<Plan[]> {
  const client = await pool.connect();
  try {
    await client.query("BEGIN");
    await client.query("SET LOCAL enable_seqscan = off");
    const { rows } = await client.query(`EXPLAIN (FORMAT JSON) ${query.text}`, query.values);
    await client.query("ROLLBACK");
    return walk((rows[0]["QUERY PLAN"] as { Plan: Plan }[])[0]!.Plan);
  } finally {
    client.release();
  }
}

let projectId: string;
beforeAll(async () => {
  ({ projectId } = await makeProjectWithKeys());
  for (const table of ["logs", "requests", "error_events", "error_groups", "llm_calls", "spans", "metric_points", "product_events"]) {
    await pool.query(`ANALYZE ${table}`);
  }
});

const from = new Date(Date.now() - 3_600_000).toISOString();
const cursor = encodeCursor({ at: new Date().toISOString(), id: "42" });
const groupCursor = encodeCursor({ at: new Date().toISOString(), id: "00000000-0000-4000-8000-000000000000" });
const groupId = "00000000-0000-4000-8000-000000000001";
const logsSql = ({ cursor: after, ...query }: ReturnType<typeof ZListLogsQuery.parse>) =>
  searchLogsSql({ projectId, ...query, after: after && { time: after.at, id: after.id } });

const cases: [string, string, () => { text: string; values: unknown[] }][] = [
  ["logs", "logs", () => logsSql(ZListLogsQuery.parse({ from, level: "error", cursor }))],
  ["logs text search", "logs", () => logsSql(ZListLogsQuery.parse({ q: "timeout talking to db" }))],
  ["requests", "requests", () => listRequestsSql({ projectId, query: ZListRequestsQuery.parse({ from, status: "5xx", cursor }) })],
  ["llm calls", "llm_calls", () => listLlmCallsSql({ projectId, query: ZListLlmCallsQuery.parse({ from, model: "gpt-4o", cursor }) })],
  ["error groups", "error_groups", () => listErrorGroupsSql({ projectId, ...ZListErrorGroupsQuery.parse({ status: "unresolved", cursor: groupCursor }) })],
  ["error events", "error_events", () => listErrorEventsSql({ projectId, groupId, query: ZListErrorEventsQuery.parse({ cursor }) })],
  ["metrics summary", "metric_points", () => summariseMetricsSql({ projectId, query: ZMetricsSummaryQuery.parse({ from }) })],
  ["product events", "product_events", () => listProductEventsSql({ projectId, query: ZListProductEventsQuery.parse({ name: "signup" }) })],
  ...(["spans", "logs", "errors", "llmCalls", "requests"] as const).map(
    (part) =>
      [
        `trace → ${part}`,
        { spans: "spans", logs: "logs", errors: "error_events", llmCalls: "llm_calls", requests: "requests" }[part],
        () => getTraceSql({ projectId, traceId: "4bf92f3577b34da6a3ce929d0e0e4736" })[part],
      ] as [string, string, () => { text: string; values: unknown[] }],
  ),
];

// Event tables are partitioned by day: a plan names the partitions (`logs_p20261204`, `logs_default`)
// and their indexes, which PostgreSQL names after the partition.
const partitionOf = (table: string) => `${table}(_p\\d{8}|_default)?`;

describe("read API query plans", () => {
  it.each(cases)("%s reads %s through a (project_id, …) index", async (_name, table, build) => {
    const nodes = await planOf(build());
    expect(nodes.some((n) => new RegExp(`^${partitionOf(table)}$`).test(n["Relation Name"] ?? ""))).toBe(true);
    expect(nodes.map((n) => n["Node Type"])).not.toContain("Seq Scan");
    const indexes = nodes.flatMap((n) => (n["Index Name"] ? [n["Index Name"]] : []));
    expect(indexes.length).toBeGreaterThan(0);
    for (const index of indexes) expect(index).toMatch(new RegExp(`^${partitionOf(table)}_project_id_`));
  });
});
