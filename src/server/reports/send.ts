/**
 * sendWeeklyReports: run hourly (Inngest cron) or by hand. For each organisation whose local time
 * is Monday 09:00 or later (until Monday ends), the report of the week that just ended is built once
 * and sent once to each member who has not opted out — weekly_report_sends makes it idempotent per
 * organisation, week and member. `force` sends the last complete week now, whatever the day.
 */
import { AppError } from "@/server/app-error";
import { can, type Role } from "../auth/permissions";
import type { Db } from "../db/sql";
import { prisma } from "../db/prisma";
import { sendEmail } from "../email/send";
import { env } from "../env";
import { log } from "../log";
import { buildWeeklyReport } from "./build";
import type { ReportContent } from "./content";
import { renderReport } from "./render";
import { unsubscribeUrl } from "./unsubscribe";
import { localClock } from "./week";

const SEND_HOUR = 9;

const portalOrigin = (origin?: string | null) => origin ?? (env.NEXTAUTH_URL ? new URL(env.NEXTAUTH_URL).origin : "http://localhost:3000");

async function reportFor(db: Db, orgId: string, weekStart: string) {
  const existing = await prisma.weeklyReport.findUnique({ where: { orgId_weekStart: { orgId, weekStart: new Date(`${weekStart}T00:00:00Z`) } } });
  if (existing) return { id: existing.id, content: existing.content as unknown as ReportContent };
  return buildWeeklyReport(db, { orgId, weekStart });
}

export async function sendWeeklyReports(db: Db, options: { now?: Date; force?: boolean; orgIds?: string[] } = {}) {
  const now = options.now ?? new Date();
  const orgs = await prisma.organization.findMany({
    where: options.orgIds ? { id: { in: options.orgIds } } : {},
    select: { id: true, timeZone: true, spendReadRoles: true },
  });
  const summary = { orgs: 0, sent: 0, skipped: 0, failed: 0 };
  for (const org of orgs) {
    const clock = await localClock(db, now, org.timeZone);
    if (!options.force && !(clock.dow === 1 && clock.hour >= SEND_HOUR)) continue;
    summary.orgs++;
    const report = await reportFor(db, org.id, clock.last_week);
    const members = await prisma.membership.findMany({
      where: {
        orgId: org.id,
        user: { NOT: { id: { in: (await prisma.reportOptOut.findMany({ where: { orgId: org.id }, select: { userId: true } })).map((o) => o.userId) } } },
      },
      select: { role: true, user: { select: { id: true, email: true } } },
    });
    for (const m of members) {
      // Claim the (report, member) pair first: a concurrent run or a retry never sends twice.
      const claimed = await db.query(
        `INSERT INTO weekly_report_sends (report_id, user_id, email, status) VALUES ($1, $2, $3, 'sending')
         ON CONFLICT (report_id, user_id) DO UPDATE SET status = 'sending' WHERE weekly_report_sends.status = 'failed' RETURNING 1`,
        [report.id, m.user.id, m.user.email],
      );
      if (!claimed.rowCount) {
        summary.skipped++;
        continue;
      }
      const mail = renderReport(report.content, {
        includeSpend: can(m.role, "spend:read", org),
        unsubscribeUrl: unsubscribeUrl(portalOrigin(), org.id, m.user.id),
      });
      const result = await sendEmail({ to: m.user.email, subject: mail.subject.slice(0, 200), html: mail.html, text: mail.text });
      await db.query(`UPDATE weekly_report_sends SET status = $3, sent_at = $4 WHERE report_id = $1 AND user_id = $2`, [
        report.id,
        m.user.id,
        result.sent ? "sent" : "failed",
        result.sent ? new Date() : null,
      ]);
      if (result.sent) summary.sent++;
      else {
        summary.failed++;
        log.warn({ orgId: org.id, userId: m.user.id, reason: result.reason }, "weekly report not sent; the next run retries");
      }
    }
  }
  return summary;
}

/** "Send me this week's report now": the last complete week, to the caller only (not recorded as the weekly send). */
export async function sendReportPreview(
  db: Db,
  options: {
    org: { id: string; role: Role; spendReadRoles?: Role[] };
    user: { id: string; email: string };
    origin?: string | null;
    now?: Date;
  },
) {
  const org = await prisma.organization.findUnique({ where: { id: options.org.id }, select: { timeZone: true } });
  if (!org) throw new AppError("NOT_FOUND", "Organisation not found");
  const clock = await localClock(db, options.now ?? new Date(), org.timeZone);
  const report = await buildWeeklyReport(db, { orgId: options.org.id, weekStart: clock.last_week });
  const mail = renderReport(report.content, {
    includeSpend: can(options.org.role, "spend:read", options.org),
    unsubscribeUrl: unsubscribeUrl(portalOrigin(options.origin), options.org.id, options.user.id),
  });
  const result = await sendEmail({ to: options.user.email, subject: `[Preview] ${mail.subject}`.slice(0, 200), html: mail.html, text: mail.text });
  if (!result.sent)
    throw new AppError(
      "PRECONDITION_FAILED",
      result.reason === "not_configured" ? "E-mail is not configured (RESEND_API_KEY)" : "The e-mail could not be sent; try again",
    );
  return { sent: true as const, reportId: report.id, weekStart: clock.last_week };
}
