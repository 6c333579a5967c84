/**
 * LLM budgets: month-to-date spend in the organisation's time zone (per project, or one user, or one
 * feature tag) and the month-end projection, computed with the dashboards' LLM functions' method:
 * month-to-date + average daily spend of the last 7 complete local days × days left.
 */
import { calendar, num, readScope, shifted, totals, type ReadScope } from "../dashboards/read";
import type { Db } from "@/server/db/sql";
import { LLM, USERS } from "../rollup/specs";
import type { BudgetConfig } from "./schemas";

const DAY = 86_400_000;

async function spend(s: ReadScope, c: BudgetConfig): Promise<number> {
  if (c.userId) return num((await totals<{ cost: string }>(s, USERS, "coalesce(sum(cost_usd), 0) AS cost", { kind: "llm", user_id: c.userId })).cost);
  return num((await totals<{ cost: string }>(s, LLM, "coalesce(sum(cost_usd), 0) AS cost", c.feature ? { feature: c.feature } : {})).cost);
}

export async function readBudget(db: Db, options: { projectId: string; timeZone: string; config: BudgetConfig; now: Date }) {
  const { now, config } = options;
  const cal = await calendar(db, now, options.timeZone);
  const scope = await readScope(db, {
    projectId: options.projectId,
    from: cal.month,
    to: now > cal.month ? now : new Date(cal.month.getTime() + 1),
    timeZone: options.timeZone,
    filters: {},
  });
  const monthToDate = now > cal.month ? await spend(scope, config) : 0;
  const windowStart = new Date(Math.max(cal.day.getTime() - 7 * DAY, cal.month.getTime()));
  const windowDays = (cal.day.getTime() - windowStart.getTime()) / DAY;
  const elapsedDays = (now.getTime() - cal.month.getTime()) / DAY;
  const dailyRate = windowDays > 0 ? (await spend(shifted(scope, windowStart, cal.day), config)) / windowDays : elapsedDays > 0 ? monthToDate / elapsedDays : 0;
  const daysLeft = (cal.next_month.getTime() - now.getTime()) / DAY;
  return { monthToDate, projected: monthToDate + dailyRate * daysLeft, month: cal.month };
}
