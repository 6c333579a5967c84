import { pool } from "@/server/db/pool";
import { z } from "zod";
import { getWeeklyReport, listWeeklyReports } from "../../reports/list";
import { ZWeeklyReportOutput } from "../../reports/outputs";
import { sendReportPreview } from "../../reports/send";
import { isSubscribed, setReportSubscription } from "../../reports/unsubscribe";
import { limitAction } from "../../ratelimit/actions";
import { createTRPCRouter, orgProcedure } from "../trpc";

/** Weekly reports of one organisation: every member reads them and manages their own subscription. */
export const reportsRouter = createTRPCRouter({
  list: orgProcedure("org:read").query(({ ctx }) => listWeeklyReports({ orgId: ctx.org.id })),
  get: orgProcedure("org:read")
    .input(z.object({ id: z.uuid("Unknown report") }))
    .output(ZWeeklyReportOutput)
    .query(({ ctx, input }) => getWeeklyReport({ orgId: ctx.org.id, reportId: input.id, includeSpend: ctx.seesSpend })),
  sendMeNow: orgProcedure("org:read").mutation(async ({ ctx }) => {
    await limitAction("reportNow", `${ctx.user.id}:${ctx.org.id}`);
    return sendReportPreview(pool, { org: ctx.org, user: ctx.user, origin: ctx.origin });
  }),
  subscription: orgProcedure("org:read").query(async ({ ctx }) => ({ subscribed: await isSubscribed({ orgId: ctx.org.id, userId: ctx.user.id }) })),
  setSubscription: orgProcedure("org:read")
    .input(z.object({ subscribed: z.boolean() }))
    .mutation(({ ctx, input }) => setReportSubscription({ orgId: ctx.org.id, userId: ctx.user.id, subscribed: input.subscribed })),
});
