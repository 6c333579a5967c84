import { jobPool } from "@/server/db/pool";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dashboardsRouter } from "@/server/api/routers/dashboards";
import { createCallerFactory, createTRPCRouter } from "@/server/api/trpc";
import { runRollup } from "@/server/rollup/job";
import { RANGE, ROLLUP_NOW, seedDataset } from "../integration/metrics-fixtures";
import { getJson, ingest, makeProjectWithKeys, startApiServer } from "../integration/read-api/fixtures";
import { contextFor, makeProject, orgWithRoles } from "../integration/tenancy-fixtures";
import { captureStatements, citusPlanOf, type Statement } from "./statement-capture";

// Single-project reads stay on one shard (issue 16): every statement the dashboards and the read
// API send for one project, and the rollup job's folds, are EXPLAINed on the cluster; each
// distributed job in the plan must have exactly one task.

const router = createTRPCRouter({ dashboards: dashboardsRouter });

let dashboardStatements: Statement[] = [];
let readApiStatements: Statement[] = [];
let rollupStatements: Statement[] = [];

beforeAll(async () => {
  const fx = await orgWithRoles();
  const project = await makeProject(fx.org.id);
  const groups = await seedDataset(project.id);
  const scope = { orgSlug: fx.org.slug, projectSlug: project.slug };
  const range = { ...scope, ...RANGE };
  const c = createCallerFactory(router)(contextFor(fx.owner)).dashboards;

  rollupStatements = await captureStatements(async () => {
    await runRollup(jobPool, { now: ROLLUP_NOW, projectId: project.id });
  });
  dashboardStatements = await captureStatements(async () => {
    await c.overview(range);
    await c.performance(range);
    await c.llm(range);
    await c.users(range);
    await c.errors.list(range);
    await c.errors.get({ ...range, groupId: groups.g1 });
    await c.explore.logs({ ...scope, from: RANGE.from, to: RANGE.to });
    await c.explore.traces({ ...scope, from: RANGE.from, to: RANGE.to });
    await c.explore.trace({ ...scope, traceId: "trace-1" });
  });

  const server = await startApiServer();
  try {
    const keys = await makeProjectWithKeys();
    const now = new Date().toISOString();
    const sent = await ingest(server.baseUrl, keys.ingestKey, [
      { type: "log", timestamp: now, level: "error", message: "card declined", traceId: "4bf92f3577b34da6a3ce929d0e0e4736" },
      { type: "error", timestamp: now, message: "gateway timeout", traceId: "4bf92f3577b34da6a3ce929d0e0e4736" },
    ]);
    expect(sent.status).toBe(200);
    const read = (path: string) => getJson(server.baseUrl, keys.readKey, path);
    readApiStatements = await captureStatements(async () => {
      const groupsPage = await read("/api/v1/errors?status=unresolved&q=gateway");
      await read(`/api/v1/errors/${groupsPage.body.items[0].id}/events`);
      for (const path of [
        "/api/v1/logs?level=error&q=declined",
        "/api/v1/requests?status=5xx",
        "/api/v1/llm-calls?model=gpt-4o",
        "/api/v1/traces/4bf92f3577b34da6a3ce929d0e0e4736",
        "/api/v1/metrics/summary",
        "/api/v1/events?name=signup",
      ]) {
        expect((await read(path)).status).toBe(200);
      }
    });
  } finally {
    await server.close();
  }
});

async function expectSingleShard(statements: Statement[]) {
  expect(statements.length).toBeGreaterThan(0);
  const fanOut: string[] = [];
  for (const statement of statements) {
    const sql = statement.text.replace(/\s+/g, " ").slice(0, 240);
    const plan = await citusPlanOf(statement).catch((error: Error) => ({ taskCounts: [], json: `EXPLAIN failed: ${error.message}` }));
    if (plan.taskCounts.length === 0 || plan.taskCounts.some((n) => n !== 1)) {
      fanOut.push(`tasks ${JSON.stringify(plan.taskCounts)} ${plan.json.slice(0, 120)}: ${sql}`);
    }
  }
  expect(fanOut).toEqual([]);
}

describe("on Citus, one project's statements plan to one shard", () => {
  it("every dashboard read", async () => {
    await expectSingleShard(dashboardStatements);
  });

  it("every read API statement", async () => {
    await expectSingleShard(readApiStatements);
  });

  it("the rollup job: each fold aggregates the raw rows on the project's shard (one task), its other statements route to one shard", async () => {
    const isFold = (s: Statement) => /^\s*WITH\b[\s\S]*\bINSERT INTO\s+rollup_/i.test(s.text);
    const folds = rollupStatements.filter(isFold);
    expect(folds.length).toBeGreaterThan(0);
    for (const fold of folds) {
      const { taskCounts, json } = await citusPlanOf(fold, { inline: true });
      expect(taskCounts, fold.text.slice(0, 200)).toEqual([1]);
      expect(json).not.toMatch(/repartition/i);
    }
    await expectSingleShard(rollupStatements.filter((s) => !isFold(s)));
  });
});

afterAll(() => {
  dashboardStatements = [];
  readApiStatements = [];
  rollupStatements = [];
});
