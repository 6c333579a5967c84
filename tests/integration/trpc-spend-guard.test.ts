import { beforeAll, describe, expect, it } from "vitest";
import { appRouter } from "@/server/api/root";
import { pool } from "@/server/db/pool";
import { LLM_BREAKDOWNS } from "@/server/dashboards/llm";
import { RANGE, seedDataset } from "./metrics-fixtures";
import { moneyKeys } from "./spend-scan";
import { callerFor, makeProject, orgWithRoles, type TestUser } from "./tenancy-fixtures";

/**
 * No money reaches a caller without `spend:read`: every dashboard and explorer procedure is called
 * as such a role and its whole answer is searched for cost, price and spend fields at any depth —
 * attributes included, since OpenTelemetry GenAI spans carry `gen_ai.usage.cost`. With the
 * permission, the same answers do carry them (so the search is known to find them).
 */

let fx: Awaited<ReturnType<typeof orgWithRoles>>;
let scope: { orgSlug: string; projectSlug: string };
let groups: { g1: string; g2: string };

beforeAll(async () => {
  fx = await orgWithRoles();
  const project = await makeProject(fx.org.id);
  scope = { orgSlug: fx.org.slug, projectSlug: project.slug };
  groups = await seedDataset(project.id);
  // trace-1 also has its span, as an OpenTelemetry GenAI exporter sends it: cost in the attributes and in an event.
  await pool.query(
    `INSERT INTO spans (project_id, trace_id, span_id, name, kind, start_time, end_time, duration_ms, status, attributes, events)
     SELECT project_id, trace_id, 'span-1', 'chat gpt-4o', 'client', time, time + interval '500 ms', 500, 'ok', $2::jsonb, $3::jsonb
       FROM llm_calls WHERE project_id = $1::uuid AND trace_id = 'trace-1'`,
    [
      project.id,
      JSON.stringify({ "gen_ai.request.model": "gpt-4o", "gen_ai.usage.input_tokens": 1000, "gen_ai.usage.cost": 0.01 }),
      JSON.stringify([{ name: "usage", attributes: { "llm.cost_usd": 0.01, tokens: 1200 } }]),
    ],
  );
  await pool.query(`UPDATE llm_calls SET attributes = $2::jsonb WHERE project_id = $1::uuid AND trace_id = 'trace-1'`, [
    project.id,
    JSON.stringify({ "gen_ai.usage.cost": 0.01, "gen_ai.response.id": "resp-1" }),
  ]);
  await callerFor(fx.owner).dashboards.setSpendAccess({ orgSlug: fx.org.slug, roles: ["admin"] });
});

const range = () => ({ ...scope, ...RANGE });

/** Every read procedure of the dashboards router, by name. */
function reads(user: TestUser): Record<string, () => Promise<unknown>> {
  const c = callerFor(user).dashboards;
  return {
    overview: () => c.overview(range()),
    performance: () => c.performance(range()),
    llm: () => c.llm(range()),
    ...Object.fromEntries(LLM_BREAKDOWNS.map((by) => [`llmOverTime(${by})`, () => c.llmOverTime({ ...range(), by })])),
    llmFiltered: () => c.llm({ ...range(), filters: { provider: "openai" } }),
    users: () => c.users(range()),
    "errors.list": () => c.errors.list(range()),
    "errors.get": () => c.errors.get({ ...range(), groupId: groups.g1 }),
    "explore.logs": () => c.explore.logs({ ...scope, from: RANGE.from, to: RANGE.to }),
    "explore.traces": () => c.explore.traces({ ...scope, from: RANGE.from, to: RANGE.to }),
    "explore.trace": () => c.explore.trace({ ...scope, traceId: "trace-1" }),
  };
}

/** The organisation home's views: figures of every project, money only in Management for spend:read. */
function homeReads(user: TestUser): Record<string, () => Promise<unknown>> {
  const c = callerFor(user).home;
  const views = ["engineering", "operations", "management"] as const;
  return Object.fromEntries(views.map((view) => [`home.preset(${view})`, () => c.preset({ orgSlug: fx.org.slug, ...RANGE, view })]));
}

describe("dashboards router: spend stays with spend:read", () => {
  it("answers members and viewers (spend withheld) with no cost, price or spend field at any depth", async () => {
    for (const user of [fx.member, fx.viewer]) {
      for (const [name, call] of Object.entries({ ...reads(user), ...homeReads(user) })) {
        const answer = await call();
        expect(answer, name).toBeTruthy();
        expect(moneyKeys(answer), `${name} as ${user.email}`).toEqual([]);
      }
    }
  });

  it("still gives them everything else of a trace: its LLM calls with tokens, spans with their other attributes", async () => {
    const trace = await callerFor(fx.viewer).dashboards.explore.trace({ ...scope, traceId: "trace-1" });
    expect(trace.llmCalls).toHaveLength(1);
    expect(trace.llmCalls[0]).toMatchObject({ model: "gpt-4o", inputTokens: 1000, outputTokens: 200, attributes: { "gen_ai.response.id": "resp-1" } });
    expect(trace.spans[0]).toMatchObject({ attributes: { "gen_ai.request.model": "gpt-4o", "gen_ai.usage.input_tokens": 1000 } });
    expect(trace.spans[0]!.events).toEqual([{ name: "usage", attributes: { tokens: 1200 } }]);
  });

  it("gives owners and roles granted spend the same answers with the money in them", async () => {
    for (const user of [fx.owner, fx.admin]) {
      const found = Object.fromEntries(await Promise.all(Object.entries(reads(user)).map(async ([name, call]) => [name, moneyKeys(await call())] as const)));
      for (const name of ["overview", "llm", "llmFiltered", "users", "explore.trace", ...LLM_BREAKDOWNS.map((by) => `llmOverTime(${by})`)])
        expect(found[name]!.length, name).toBeGreaterThan(0);
      const c = callerFor(user).dashboards;
      const trace = await c.explore.trace({ ...scope, traceId: "trace-1" });
      expect(trace.llmCalls[0]).toMatchObject({ costUsd: 0.01, costSource: "table", attributes: { "gen_ai.usage.cost": 0.01 } });
      expect(trace.spans[0]).toMatchObject({ attributes: { "gen_ai.usage.cost": 0.01 } });
      const llm = await c.llm(range());
      expect("costPerUserUsd" in llm && llm.costPerUserUsd).toBeCloseTo(0.7 / 4, 10); // u0…u3 made every call: $0.70 over 4 users
      const byUser = await c.llmOverTime({ ...range(), by: "user" });
      expect(byUser.points.reduce((a, p) => a + ("costUsd" in p ? p.costUsd! : 0), 0)).toBeCloseTo(0.7, 10);
    }
  });
});

/**
 * Procedures of the routers that handle money which answer without it by construction (no spend in
 * what they read, or — the alert rule and silence writes — FORBIDDEN to a caller without spend:read
 * when the rule is a spend rule). Every other procedure of these routers declares its response with
 * `.output()`, so what a caller without `spend:read` receives is a type: a new procedure fails here
 * until it declares one or is listed.
 */
const SPEND_FREE = [
  "dashboards.performance",
  "dashboards.errors.list",
  "dashboards.errors.get",
  "dashboards.errors.setStatus",
  "dashboards.explore.logs",
  "dashboards.explore.logErrorGroups",
  "dashboards.explore.traces",
  "dashboards.metrics.names",
  "dashboards.metrics.attributeKeys",
  "dashboards.metrics.explore",
  "dashboards.spendAccess",
  "dashboards.setSpendAccess",
  "home.eventsPerDay",
  "alerts.listChannels",
  "alerts.createChannel",
  "alerts.updateChannel",
  "alerts.deleteChannel",
  "alerts.testChannel",
  "alerts.createRule",
  "alerts.updateRule",
  "alerts.deleteRule",
  "alerts.createSilence",
  "alerts.endSilence",
  "alerts.evaluationStatus",
  "reports.list",
  "reports.sendMeNow",
  "reports.subscription",
  "reports.setSubscription",
];

describe("response shapes of the routers that handle spend", () => {
  it("are declared with .output() on every procedure that is not spend-free", () => {
    const procedures = (appRouter._def as unknown as { procedures: Record<string, { _def: { output?: unknown } }> }).procedures;
    const paths = Object.keys(procedures).filter((path) => /^(dashboards|home|reports|alerts)\./.test(path));
    const undeclared = paths.filter((path) => procedures[path]!._def.output === undefined);
    expect(undeclared.sort()).toEqual([...SPEND_FREE].sort());
    for (const path of [
      "dashboards.overview",
      "dashboards.llm",
      "dashboards.llmOverTime",
      "dashboards.users",
      "dashboards.explore.trace",
      "alerts.listIncidents",
    ])
      expect(paths, path).toContain(path);
  });
});
