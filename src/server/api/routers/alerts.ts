import { pool } from "@/server/db/pool";
import { z } from "zod";
import { createAlertChannel, deleteAlertChannel, listAlertChannels, sendTestNotification, updateAlertChannel } from "../../alerts/channels";
import { getIncident, listIncidents, ZIncidentListItem } from "../../alerts/incidents";
import { ZIncidentDetail, ZRuleListItem } from "../../alerts/outputs";
import { createAlertRule, deleteAlertRule, listAlertRules, updateAlertRule } from "../../alerts/rules";
import { ZChannelFields, ZChannelUpdate, ZRuleFields, ZRuleUpdate, ZSilenceFields } from "../../alerts/schemas";
import { createSilence, endSilence } from "../../alerts/silences";
import { can } from "../../auth/permissions";
import { readJobStatus } from "../../jobs/status";
import { limitAction } from "../../ratelimit/actions";
import { createTRPCRouter, projectProcedure } from "../trpc";

/**
 * Alert rules, channels, silences and incidents of one project: members and above write, viewers
 * read; spend rules are read without their amounts, and not written, by roles without `spend:read`.
 */
export const alertsRouter = createTRPCRouter({
  listRules: projectProcedure("alerts:read")
    .output(z.array(ZRuleListItem))
    .query(({ ctx }) => listAlertRules({ projectId: ctx.project.id, includeSpend: ctx.seesSpend })),
  createRule: projectProcedure("alerts:write")
    .input(ZRuleFields)
    .mutation(({ ctx, input }) => createAlertRule({ project: ctx.project, input, actor: ctx.actor, includeSpend: ctx.seesSpend })),
  updateRule: projectProcedure("alerts:write")
    .input(ZRuleUpdate)
    .mutation(({ ctx, input }) => updateAlertRule({ project: ctx.project, input, actor: ctx.actor, includeSpend: ctx.seesSpend })),
  deleteRule: projectProcedure("alerts:write")
    .input(z.object({ id: z.uuid("Unknown rule") }))
    .mutation(({ ctx, input }) => deleteAlertRule({ project: ctx.project, ruleId: input.id, actor: ctx.actor, includeSpend: ctx.seesSpend })),

  listChannels: projectProcedure("alerts:read").query(({ ctx }) => listAlertChannels({ projectId: ctx.project.id })),
  createChannel: projectProcedure("alerts:write")
    .input(ZChannelFields)
    .mutation(({ ctx, input }) => createAlertChannel({ project: ctx.project, input, actor: ctx.actor })),
  updateChannel: projectProcedure("alerts:write")
    .input(ZChannelUpdate)
    .mutation(({ ctx, input }) => updateAlertChannel({ project: ctx.project, input, actor: ctx.actor })),
  deleteChannel: projectProcedure("alerts:write")
    .input(z.object({ id: z.uuid("Unknown channel") }))
    .mutation(({ ctx, input }) => deleteAlertChannel({ project: ctx.project, channelId: input.id, actor: ctx.actor })),
  testChannel: projectProcedure("alerts:write")
    .input(z.object({ id: z.uuid("Unknown channel") }))
    .mutation(async ({ ctx, input }) => {
      await limitAction("testNotification", `${ctx.user.id}:${input.id}`);
      return sendTestNotification({ project: ctx.project, channelId: input.id });
    }),

  createSilence: projectProcedure("alerts:write")
    .input(ZSilenceFields)
    .mutation(({ ctx, input }) =>
      createSilence({ project: ctx.project, ruleId: input.ruleId, endsAt: input.endsAt, reason: input.reason, actor: ctx.actor, includeSpend: ctx.seesSpend }),
    ),
  endSilence: projectProcedure("alerts:write")
    .input(z.object({ id: z.uuid("Unknown silence") }))
    .mutation(({ ctx, input }) => endSilence({ project: ctx.project, silenceId: input.id, actor: ctx.actor, includeSpend: ctx.seesSpend })),

  /** When the alerts job last ran and whether it is behind; its last error only for those who administer the org. */
  evaluationStatus: projectProcedure("alerts:read").query(({ ctx }) =>
    readJobStatus(pool, { job: "alerts", includeError: can(ctx.org.role, "settings:update") }),
  ),

  listIncidents: projectProcedure("alerts:read")
    .input(z.object({ status: z.enum(["firing", "resolved"]).optional(), limit: z.number().int().min(1).max(200).default(50) }))
    .output(z.array(ZIncidentListItem))
    .query(({ ctx, input }) => listIncidents({ projectId: ctx.project.id, status: input.status, limit: input.limit, includeSpend: ctx.seesSpend })),
  getIncident: projectProcedure("alerts:read")
    .input(z.object({ id: z.uuid("Unknown incident") }))
    .output(ZIncidentDetail)
    .query(({ ctx, input }) => getIncident({ projectId: ctx.project.id, incidentId: input.id, includeSpend: ctx.seesSpend })),
});
