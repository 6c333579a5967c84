import { pool } from "../../db/pool";
import { z } from "zod";
import { createRedactionRule, deleteRedactionRule, listRedactionRules, ZCreateRedactionRule } from "../../ingest/redaction-settings";
import { createPriceOverride, deletePriceOverride, listModelPrices, updatePriceOverride, ZPriceOverride } from "../../llm/price-settings";
import { recomputeCosts } from "../../llm/recompute";
import { auditFromActor, recordAudit } from "../../audit/record";
import { createTRPCRouter, projectProcedure } from "../trpc";

const MAX_RECOMPUTE_DAYS = 400;

/** Project settings for ingest: redaction rules and model price overrides (mounted by root.ts). */
export const ingestSettingsRouter = createTRPCRouter({
  redactionRules: projectProcedure("projects:read").query(({ ctx }) => listRedactionRules({ projectId: ctx.project.id })),

  createRedactionRule: projectProcedure("settings:update")
    .input(ZCreateRedactionRule)
    .mutation(({ ctx, input }) => createRedactionRule({ project: ctx.project, input, actor: ctx.actor })),

  deleteRedactionRule: projectProcedure("settings:update")
    .input(z.object({ ruleId: z.uuid("Unknown rule") }))
    .mutation(({ ctx, input }) => deleteRedactionRule({ project: ctx.project, ruleId: input.ruleId, actor: ctx.actor })),

  modelPrices: projectProcedure("spend:read").query(({ ctx }) => listModelPrices({ projectId: ctx.project.id })),

  createPriceOverride: projectProcedure("settings:update")
    .input(ZPriceOverride)
    .mutation(({ ctx, input }) => createPriceOverride({ project: ctx.project, input, actor: ctx.actor })),

  updatePriceOverride: projectProcedure("settings:update")
    .input(ZPriceOverride.extend({ priceId: z.uuid("Unknown price") }))
    .mutation(({ ctx, input: { priceId, ...input } }) => updatePriceOverride({ project: ctx.project, priceId, input, actor: ctx.actor })),

  deletePriceOverride: projectProcedure("settings:update")
    .input(z.object({ priceId: z.uuid("Unknown price") }))
    .mutation(({ ctx, input }) => deletePriceOverride({ project: ctx.project, priceId: input.priceId, actor: ctx.actor })),

  recomputeCosts: projectProcedure("settings:update")
    .input(
      z
        .object({ from: z.coerce.date(), to: z.coerce.date() })
        .refine((r) => r.from < r.to, { message: "`from` must be before `to`", path: ["to"] })
        .refine((r) => r.to.getTime() - r.from.getTime() <= MAX_RECOMPUTE_DAYS * 86_400_000, {
          message: `At most ${MAX_RECOMPUTE_DAYS} days at a time`,
          path: ["from"],
        }),
    )
    .mutation(async ({ ctx, input }) => {
      const result = await recomputeCosts(pool, { projectId: ctx.project.id, from: input.from, to: input.to });
      // Dollar totals only for those who may see spend; the audit record (read by admins) keeps counts only then too.
      const shown = ctx.seesSpend ? result : { examined: result.examined, changed: result.changed };
      await recordAudit(
        auditFromActor(ctx.actor, {
          orgId: ctx.project.orgId,
          action: "settings.changed",
          targetType: "project",
          targetId: ctx.project.id,
          metadata: { change: "llm_costs.recomputed", from: input.from.toISOString(), to: input.to.toISOString(), ...shown },
        }),
      );
      return shown;
    }),
});
