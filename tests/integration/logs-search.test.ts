import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { insertRows } from "./metrics-fixtures";
import { callerFor, expectTRPCError, makeOrg, makeProject, makeUser, orgWithRoles, uniq, type TestUser } from "./tenancy-fixtures";

/**
 * Log search behind the Logs page (dashboards.explore.logs) and the drawer's error links
 * (dashboards.explore.logErrorGroups), through the router as the page calls them, over rows whose
 * answers are written out here.
 */

const T0 = Date.parse("2026-10-05T10:00:00Z");
const at = (minutes: number) => new Date(T0 + minutes * 60_000);
const RANGE = { from: at(0), to: at(60) };
const HEX_TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";

type Row = {
  id: number;
  time: Date;
  level: string;
  message: string;
  service: string | null;
  environment: string | null;
  trace_id: string | null;
  span_id: string | null;
  attributes: Record<string, unknown>;
};
const row = (id: number, minutes: number, level: string, message: string, more: Partial<Row> = {}): Row => ({
  id,
  time: at(minutes),
  level,
  message,
  service: null,
  environment: null,
  trace_id: null,
  span_id: null,
  attributes: {},
  ...more,
});

// Named rows: each filter below is answered by a subset written out in its test.
const NAMED: Row[] = [
  row(1001, 1, "info", "User signed in", {
    service: "web",
    environment: "production",
    trace_id: "trace-a",
    span_id: "span-1",
    attributes: { "http.route": "/api/chat", status: 200 },
  }),
  row(1002, 2, "error", "Payment declined for order 42", {
    service: "billing",
    environment: "production",
    trace_id: "trace-b",
    span_id: "span-2",
    attributes: { "http.route": "/api/checkout", status: 402 },
  }),
  row(1003, 3, "warn", "disk 93% full", { service: "worker", environment: "staging", attributes: { disk: "/dev/sda1" } }),
  row(1004, 4, "debug", "Retrying PAYMENT", {
    service: "billing",
    environment: "staging",
    trace_id: "trace-b",
    span_id: "span-3",
    attributes: { attempt: 2, retry: true },
  }),
  row(1005, 5, "fatal", "out of memory", { service: "worker", environment: "production", trace_id: HEX_TRACE }),
  row(1006, -120, "info", "User signed in", { service: "web", environment: "production" }), // before the range
  row(1007, 60, "info", "User signed in", { service: "web", environment: "production" }), // at `to`: excluded
];
// 130 lines sharing one timestamp, ids crossing 9→10 and 99→100: the order within a timestamp
// must be by numeric id, or pages skip and repeat rows.
const SAME_TIME: Row[] = Array.from({ length: 130 }, (_, i) => row(i + 1, 30, "info", `bulk line ${i + 1}`, { service: "bulk" }));

let fx: Awaited<ReturnType<typeof orgWithRoles>>;
let scope: { orgSlug: string; projectSlug: string };
let stranger: TestUser;
let strangerScope: { orgSlug: string; projectSlug: string };
const FOREIGN_MESSAGE = `bulk line foreign ${uniq()}`;
const groups = { span2: randomUUID(), span3: randomUUID(), otherTrace: randomUUID(), foreign: randomUUID() };

async function insertLogs(projectId: string, rows: Row[]) {
  await insertRows(
    "logs",
    rows.map((r) => ({ project_id: projectId, ...r, attributes: JSON.stringify(r.attributes) })),
  );
}

async function insertErrors(projectId: string, events: Array<{ group: string; title: string; minutes: number; trace: string; span: string | null }>) {
  const titles = new Map(events.map((e) => [e.group, e.title]));
  await insertRows(
    "error_groups",
    [...titles].map(([id, title]) => ({
      project_id: projectId,
      id,
      fingerprint: `${id.replace(/-/g, "")}${"0".repeat(32)}`,
      title,
      level: "error",
      status: "unresolved",
      count: 1,
      first_seen: at(0),
      last_seen: at(59),
    })),
  );
  await insertRows(
    "error_events",
    events.map((e) => ({
      project_id: projectId,
      group_id: e.group,
      time: at(e.minutes),
      level: "error",
      title: e.title,
      trace_id: e.trace,
      span_id: e.span,
      tags: "{}",
    })),
  );
}

beforeAll(async () => {
  fx = await orgWithRoles();
  const project = await makeProject(fx.org.id);
  scope = { orgSlug: fx.org.slug, projectSlug: project.slug };
  await insertLogs(project.id, [...NAMED, ...SAME_TIME]);
  await insertErrors(project.id, [
    { group: groups.span2, title: "CardDeclinedError: declined", minutes: 2, trace: "trace-b", span: "span-2" },
    { group: groups.span2, title: "CardDeclinedError: declined", minutes: 7, trace: "trace-b", span: "span-2" },
    { group: groups.span3, title: "RetryExhausted", minutes: 4, trace: "trace-b", span: "span-3" },
    { group: groups.otherTrace, title: "TypeError", minutes: 1, trace: "trace-z", span: "span-1" },
  ]);

  // Another organisation whose rows match every filter used here.
  stranger = await makeUser("stranger");
  const otherOrg = await makeOrg(stranger);
  const otherProject = await makeProject(otherOrg.id);
  strangerScope = { orgSlug: otherOrg.slug, projectSlug: otherProject.slug };
  await insertLogs(otherProject.id, [
    row(1002, 2, "error", "Payment declined for order 42", {
      service: "billing",
      environment: "production",
      trace_id: "trace-b",
      span_id: "span-2",
      attributes: { "http.route": "/api/checkout", status: 402 },
    }),
    row(5000, 30, "info", FOREIGN_MESSAGE, { service: "bulk" }),
  ]);
  await insertErrors(otherProject.id, [{ group: groups.foreign, title: "Foreign error", minutes: 9, trace: "trace-b", span: "span-2" }]);
});

type Search = Parameters<ReturnType<typeof callerFor>["dashboards"]["explore"]["logs"]>[0];
const search = (input: Partial<Search>, user: TestUser = fx.viewer) => callerFor(user).dashboards.explore.logs({ ...scope, ...RANGE, ...input });
const ids = async (input: Partial<Search>) => (await search({ limit: 200, ...input })).items.map((r) => Number(r.id));
const named = async (input: Partial<Search>) => (await ids(input)).filter((id) => id > 1000).sort();

describe("log search filters", () => {
  it("finds messages by case-insensitive substring, with % and _ taken literally", async () => {
    expect(await named({ q: "payment" })).toEqual([1002, 1004]);
    expect(await named({ q: "93%" })).toEqual([1003]);
    expect(await ids({ q: "%" })).toEqual([1003]);
    expect(await ids({ q: "_" })).toEqual([]);
  });

  it("filters by level, service and environment, alone and combined", async () => {
    expect(await named({ level: ["error", "fatal"] })).toEqual([1002, 1005]);
    expect(await named({ level: ["warn"] })).toEqual([1003]);
    expect(await ids({ service: "billing" })).toEqual([1004, 1002]);
    expect(await ids({ environment: "staging" })).toEqual([1004, 1003]);
    expect(await ids({ service: "billing", environment: "staging" })).toEqual([1004]);
    expect(await ids({ q: "payment", level: ["error"] })).toEqual([1002]);
  });

  it("filters by attribute key=value, whether the value was sent as text, number or boolean", async () => {
    expect(await ids({ attributes: { "http.route": "/api/checkout" } })).toEqual([1002]);
    expect(await ids({ attributes: { status: "402" } })).toEqual([1002]);
    expect(await ids({ attributes: { status: 402 } })).toEqual([1002]);
    expect(await ids({ attributes: { retry: "true" } })).toEqual([1004]);
    expect(await ids({ attributes: { attempt: "2" } })).toEqual([1004]);
    expect(await ids({ attributes: { disk: "/dev/sdb1" } })).toEqual([]);
    expect(await ids({ attributes: { "http.route": "/api/checkout", status: "200" } })).toEqual([]);
  });

  it("filters by trace id, matching a W3C id pasted in upper case", async () => {
    expect(await ids({ traceId: "trace-b" })).toEqual([1004, 1002]);
    expect(await ids({ traceId: HEX_TRACE.toUpperCase() })).toEqual([1005]);
    expect(await ids({ traceId: "trace-none" })).toEqual([]);
  });

  it("keeps to the time range: from inclusive, to exclusive", async () => {
    expect(await ids({ from: at(2), to: at(4) })).toEqual([1003, 1002]);
    expect(await named({ q: "signed in" })).toEqual([1001]);
    expect(await named({ q: "signed in", from: at(-180), to: at(61) })).toEqual([1001, 1006, 1007]);
    await expectTRPCError(search({ from: at(10), to: at(10) }), "BAD_REQUEST", "to");
  });
});

describe("log search order and pages", () => {
  const expected = [...NAMED, ...SAME_TIME]
    .filter((r) => r.time >= RANGE.from && r.time < RANGE.to)
    .sort((a, b) => b.time.getTime() - a.time.getTime() || b.id - a.id)
    .map((r) => r.id);

  it("returns newest first, ties by id (numeric) newest first", async () => {
    expect(await ids({})).toEqual(expected);
    const { items } = await search({ limit: 200 });
    for (let i = 1; i < items.length; i++) expect(new Date(items[i - 1]!.time).getTime()).toBeGreaterThanOrEqual(new Date(items[i]!.time).getTime());
  });

  it("pages with the cursor through every row exactly once, also inside one timestamp", async () => {
    const seen: number[] = [];
    let cursor: Search["cursor"];
    let pages = 0;
    do {
      const page = await search({ limit: 7, ...(cursor ? { cursor } : {}) });
      expect(page.items.length).toBeLessThanOrEqual(7);
      seen.push(...page.items.map((r) => Number(r.id)));
      cursor = page.nextCursor ?? undefined;
      pages++;
    } while (cursor && pages < 100);
    expect(seen).toEqual(expected);
    expect(new Set(seen).size).toBe(seen.length);
    expect(pages).toBe(Math.ceil(expected.length / 7));
  });

  it("searches a long range newest slice first and pages across slices without gaps or repeats", async () => {
    // Three days: the newest hour is read first, then slices eight times longer; 1006 lies two hours back.
    const long = { from: at(-3 * 24 * 60), to: RANGE.to };
    const all = [...expected, 1006];
    expect((await search({ ...long, limit: 200 })).items.map((r) => Number(r.id))).toEqual(all);
    const seen: number[] = [];
    let cursor: Search["cursor"];
    do {
      const page = await search({ ...long, limit: 9, ...(cursor ? { cursor } : {}) });
      seen.push(...page.items.map((r) => Number(r.id)));
      cursor = page.nextCursor ?? undefined;
    } while (cursor && seen.length < 1000);
    expect(seen).toEqual(all);
    expect((await search({ ...long, q: "signed in" })).items.map((r) => Number(r.id))).toEqual([1001, 1006]);
  });

  it("pages a filtered search the same way", async () => {
    const first = await search({ service: "bulk", limit: 60 });
    const second = await search({ service: "bulk", limit: 60, cursor: first.nextCursor! });
    const third = await search({ service: "bulk", limit: 60, cursor: second.nextCursor! });
    expect(third.nextCursor).toBeNull();
    expect([...first.items, ...second.items, ...third.items].map((r) => Number(r.id))).toEqual(SAME_TIME.map((r) => r.id).reverse());
  });
});

describe("log search tenancy", () => {
  it("never returns another organisation's logs, even when they match every filter", async () => {
    const own = await search({ limit: 200 });
    expect(own.items.map((r) => r.message)).not.toContain(FOREIGN_MESSAGE);
    expect(await ids({ q: FOREIGN_MESSAGE })).toEqual([]);
    expect(
      await ids({ q: "payment", level: ["error"], service: "billing", environment: "production", traceId: "trace-b", attributes: { status: "402" } }),
    ).toEqual([1002]);
    const theirs = await callerFor(stranger).dashboards.explore.logs({ ...strangerScope, ...RANGE, limit: 200 });
    expect(theirs.items.map((r) => r.message)).toEqual([FOREIGN_MESSAGE, "Payment declined for order 42"]);
  });

  it("answers NOT_FOUND to a member of another organisation, and for a project outside the caller's org", async () => {
    await expectTRPCError(search({}, stranger), "NOT_FOUND");
    await expectTRPCError(callerFor(stranger).dashboards.explore.logErrorGroups({ ...scope, traceId: "trace-b" }), "NOT_FOUND");
    await expectTRPCError(
      callerFor(fx.owner).dashboards.explore.logs({ ...RANGE, orgSlug: scope.orgSlug, projectSlug: strangerScope.projectSlug }),
      "NOT_FOUND",
    );
  });
});

describe("error groups of a log (the drawer's links)", () => {
  const groupsOf = (input: { traceId: string; spanId?: string }, user: TestUser = fx.viewer) =>
    callerFor(user).dashboards.explore.logErrorGroups({ ...scope, ...input });

  it("links a log with a span to the groups of error events in that span of its trace", async () => {
    const found = await groupsOf({ traceId: "trace-b", spanId: "span-2" });
    expect(found.map((g) => g.id)).toEqual([groups.span2]);
    expect(found[0]).toMatchObject({ title: "CardDeclinedError: declined", events: 2, level: "error", status: "unresolved" });
    expect((await groupsOf({ traceId: "trace-b", spanId: "span-3" })).map((g) => g.id)).toEqual([groups.span3]);
  });

  it("links a log without a span to every group in its trace, most recently seen first", async () => {
    expect((await groupsOf({ traceId: "trace-b" })).map((g) => g.id)).toEqual([groups.span2, groups.span3]);
  });

  it("finds nothing when no error event shares the trace and span (so the drawer shows no link)", async () => {
    expect(await groupsOf({ traceId: "trace-a", spanId: "span-1" })).toEqual([]);
    expect(await groupsOf({ traceId: "trace-z", spanId: "span-9" })).toEqual([]);
  });

  it("never links to another organisation's groups", async () => {
    const found = await groupsOf({ traceId: "trace-b", spanId: "span-2" });
    expect(found.map((g) => g.id)).not.toContain(groups.foreign);
    expect((await callerFor(stranger).dashboards.explore.logErrorGroups({ ...strangerScope, traceId: "trace-b", spanId: "span-2" })).map((g) => g.id)).toEqual([
      groups.foreign,
    ]);
  });
});
