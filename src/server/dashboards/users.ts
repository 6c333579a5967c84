/** Users and usage: DAU/WAU (exact distinct counts), top users by requests and LLM spend, feature usage. */
import type { MetricInput } from "./input";
import { distinctCount, distinctSeries, grouped, num, readScope, shifted } from "./read";
import { floorTo, GRAIN_MS } from "../rollup/buckets";
import type { Db } from "@/server/db/sql";
import { PRODUCT_EVENTS, USERS } from "../rollup/specs";

const ACTIVE = { kind: "active" };
const DAY = { ms: 86_400_000, interval: "1 day" };
/** Calendar weeks: Monday 00:00 in the viewer's zone (the series origin), 7 days each. */
const WEEK = { ms: 7 * GRAIN_MS.day, interval: "7 days" };

/** The Monday 00:00 (viewer's zone) of the week containing `at`. */
async function weekStart(db: Db, at: Date, timeZone: string): Promise<Date> {
  const { rows } = await db.query<{ start: Date }>(`SELECT date_trunc('week', $1::timestamptz, $2) AS start`, [at, timeZone]);
  return rows[0]!.start;
}

export async function getUserActivity(db: Db, input: MetricInput & { includeSpend?: boolean }) {
  const spend = input.includeSpend !== false;
  const s = await readScope(db, input);
  // DAU and WAU: users active since the start of the hour 24 hours (7 days) ago.
  const dayStart = new Date(floorTo(s.to.getTime() - 86_400_000, "hour"));
  const sevenDaysStart = new Date(floorTo(s.to.getTime() - 7 * 86_400_000, "hour"));
  const users = (scope: typeof s) => distinctCount(scope, USERS, "user_id", ACTIVE).then((m) => m.get("") ?? 0);
  const firstMonday = await weekStart(db, s.from, s.timeZone);
  const [daily, weekly, wau, dau, inRange, byRequests, bySpend, features, featureUsers] = await Promise.all([
    distinctSeries({ ...s, step: DAY }, USERS, "user_id", ACTIVE),
    distinctSeries({ ...s, from: firstMonday, step: WEEK }, USERS, "user_id", ACTIVE),
    users(shifted(s, sevenDaysStart, s.to)),
    users(shifted(s, dayStart, s.to)),
    users(s),
    grouped<{ user_id: string; count: string }>(s, USERS, ["user_id"], "sum(count) AS count", {
      orderBy: "sum(count) DESC, user_id",
      limit: 20,
      extra: { kind: "request" },
    }),
    spend
      ? grouped<{ user_id: string; cost: string; calls: string }>(s, USERS, ["user_id"], "sum(cost_usd) AS cost, sum(count) AS calls", {
          orderBy: "sum(cost_usd) DESC, user_id",
          limit: 20,
          extra: { kind: "llm" },
        })
      : null,
    grouped<{ name: string; count: string }>(s, PRODUCT_EVENTS, ["name"], "sum(count) AS count", { orderBy: "sum(count) DESC, name", limit: 50 }),
    distinctCount(s, USERS, "user_id", { kind: "event" }, "key"),
  ]);
  const result = {
    range: { from: s.from, to: s.to, timeZone: s.timeZone },
    dailyActive: daily.map((r) => ({ t: r.t, users: r.n })),
    /** Distinct users per calendar week (Monday start, viewer's zone); the first week is counted whole, from its Monday. */
    weeklyActive: weekly.map((r) => ({ t: r.t, users: r.n })),
    dau,
    wau,
    activeInRange: inRange,
    topByRequests: byRequests.map((r) => ({ userId: r.user_id, requests: num(r.count) })),
    featureUsage: features.map((f) => ({ name: f.name, count: num(f.count), users: featureUsers.get(f.name) ?? 0 })),
  };
  return bySpend ? { ...result, topBySpend: bySpend.map((r) => ({ userId: r.user_id, costUsd: num(r.cost), calls: num(r.calls) })) } : result;
}
