import { describe, expect, it } from "vitest";
import { startAlertFakes } from "./fixtures";

// The seeded weeks lie five and six weeks back: widen the ingest window before env.ts is read.
process.env.INGEST_MAX_PAST_SECONDS = String(90 * 86_400);
const fakes = await startAlertFakes();
const { alertProject, ingestForFile } = await import("./harness");
const { sendBatch, uniq } = await import("../ingest/fixtures");
const { prisma } = await import("@/server/db/prisma");
const { pool } = await import("@/server/db/pool");
const { sendWeeklyReports } = await import("@/server/reports/send");
type ReportContent = import("@/server/reports/content").ReportContent;
const { getOverview } = await import("@/server/dashboards/overview");
const { getLlmUsage } = await import("@/server/dashboards/llm");
const { getPerformance } = await import("@/server/dashboards/performance");

const DAY = 86_400_000;

/** Wall-clock fields of instant `t` in `timeZone`. */
function local(t: Date, timeZone: string) {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      weekday: "short",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
    })
      .formatToParts(t)
      .map((p) => [p.type, p.value]),
  );
  return {
    date: `${parts.year}-${parts.month}-${parts.day}`,
    weekday: parts.weekday!,
    time: `${parts.hour}:${parts.minute}`,
    utcOfWall: Date.UTC(+parts.year!, +parts.month! - 1, +parts.day!, +parts.hour!, +parts.minute!, +parts.second!),
  };
}

/** The instant when the wall clock in `timeZone` shows `date` `hhmm` (found from the zone's offset, DST included). */
function zoned(date: string, hhmm: string, timeZone: string): Date {
  const [y, m, d] = date.split("-").map(Number) as [number, number, number];
  const [hh, mm] = hhmm.split(":").map(Number) as [number, number];
  const wall = Date.UTC(y, m - 1, d, hh, mm);
  let t = wall;
  for (let i = 0; i < 3; i++) t = wall - (local(new Date(t), timeZone).utcOfWall - t);
  return new Date(t);
}

const addDays = (date: string, n: number) => new Date(Date.parse(`${date}T00:00:00Z`) + n * DAY).toISOString().slice(0, 10);

/** The local Monday `weeksBack` weeks before this local week's Monday. */
function mondayOf(timeZone: string, weeksBack: number) {
  const today = local(new Date(), timeZone).date;
  const dow = new Date(`${today}T00:00:00Z`).getUTCDay();
  return addDays(today, -((dow + 6) % 7) - 7 * weeksBack);
}

const ingest = ingestForFile(fakes);

describe.each(["Asia/Tokyo", "America/New_York"])("weekly report for an organisation in %s", (timeZone) => {
  it("covers Monday 00:00 → Monday 00:00 local, is due Monday 09:00 local, and matches the dashboard over that week", async () => {
    const p = await alertProject();
    await prisma.organization.update({ where: { id: p.org.id }, data: { timeZone } });
    const week = mondayOf(timeZone, 5);
    const next = addDays(week, 7);
    const prev = addDays(week, -7);
    const at = (date: string, hhmm: string) => zoned(date, hhmm, timeZone).toISOString();
    const req = (time: string, status = 200, durationMs = 100) => ({
      type: "request",
      id: `tz-${uniq()}`,
      timestamp: time,
      method: "GET",
      route: "/api/a",
      path: "/api/a",
      status,
      durationMs,
    });
    const llm = (time: string, costUsd: number) => ({
      type: "llm",
      id: `tz-${uniq()}`,
      timestamp: time,
      provider: "openai",
      model: "gpt-4o",
      operation: "chat",
      inputTokens: 10,
      outputTokens: 10,
      costUsd,
    });
    const batch = [
      // The week before: 6 mid-week, 1 at Sunday 23:30 local (the last half hour of that week).
      ...Array.from({ length: 6 }, (_, i) => req(at(addDays(prev, 2), `12:0${i}`))),
      req(at(addDays(week, -1), "23:30")),
      llm(at(addDays(week, -1), "23:30"), 0.5),
      // The week: 20 mid-week (2 failing), one in its first and one in its last half hour.
      ...Array.from({ length: 20 }, (_, i) => req(at(addDays(week, 2), `12:${String(i).padStart(2, "0")}`), i < 2 ? 500 : 200, 100 + i * 50)),
      req(at(week, "00:30"), 200, 40),
      req(at(addDays(week, 6), "23:30"), 200, 60),
      llm(at(week, "00:30"), 1.5),
      { type: "error", id: `tz-${uniq()}`, timestamp: at(week, "00:10"), message: "tz new", fingerprint: ["tz-new"] },
      { type: "error", id: `tz-${uniq()}`, timestamp: at(week, "00:20"), message: "tz new", fingerprint: ["tz-new"] },
      // The week after starts at Monday 00:00 local.
      req(at(next, "00:30")),
      llm(at(next, "00:30"), 4),
    ];
    const res = await sendBatch(ingest.baseUrl, p.ingestKey.secret, batch);
    expect(res.json.accepted, JSON.stringify(res.json.rejected)).toBe(batch.length);

    const send = (date: string, hhmm: string) => sendWeeklyReports(pool, { now: zoned(date, hhmm, timeZone), orgIds: [p.org.id] });
    expect(await send(next, "08:59")).toEqual({ orgs: 0, sent: 0, skipped: 0, failed: 0 });
    expect(await send(next, "09:00")).toEqual({ orgs: 1, sent: 1, skipped: 0, failed: 0 });
    expect(await send(next, "23:59")).toEqual({ orgs: 1, sent: 0, skipped: 1, failed: 0 });
    expect((await send(addDays(next, 1), "00:00")).orgs).toBe(0);

    const [stored] = await prisma.weeklyReport.findMany({ where: { orgId: p.org.id } });
    expect(stored!.weekStart.toISOString().slice(0, 10)).toBe(week);
    expect(stored!.timeZone).toBe(timeZone);
    const content = stored!.content as unknown as ReportContent;
    const from = new Date(content.from);
    const to = new Date(content.to);
    expect(local(from, timeZone)).toMatchObject({ date: week, weekday: "Mon", time: "00:00" });
    expect(local(to, timeZone)).toMatchObject({ date: next, weekday: "Mon", time: "00:00" });

    const section = content.projects[0]!;
    expect(section.requests).toMatchObject({ value: 22, previous: 7 });
    expect(section.errorRate.value).toBeCloseTo(2 / 22, 10);
    expect(section.llm.spendUsd).toBeCloseTo(1.5, 6);
    expect(section.llm.previousSpendUsd).toBeCloseTo(0.5, 6);
    expect(section.newGroups.map((g) => [g.title, g.count])).toEqual([["tz new", 2]]);

    const input = { projectId: p.project.id, from, to, timeZone, filters: {} };
    const overview = await getOverview(pool, { ...input, includeSpend: false });
    const usage = await getLlmUsage(pool, { ...input, includeSpend: true });
    const perf = await getPerformance(pool, input);
    expect(section.requests.value).toBe(overview.requests.value);
    expect(section.requests.previous).toBe(overview.requests.previous);
    expect(section.errorRate.value).toBe(overview.errorRate.value);
    expect(section.p95.value).toBe(overview.latency.value.p95);
    expect(section.llm.spendUsd).toBe("costUsd" in usage.total ? usage.total.costUsd : NaN);
    expect(section.slowestEndpoints[0]).toMatchObject({ route: "/api/a", count: 22, p95: perf.endpoints.find((e) => e.route === "/api/a")!.p95 });

    const mail = fakes.resend.to(p.owner.email);
    expect(mail).toHaveLength(1);
    expect(mail[0]!.body.text).toContain("Requests: 22");
  });
});
