/**
 * Dashboard procedures (mounted by root.ts as `dashboards`). Thin: parse, authorise, call one
 * function in src/server/dashboards. Spend fields are left out for callers without `spend:read`.
 */
import { z } from "zod";
import { pool } from "@/server/db/pool";
import { getLlmOverTime, getLlmUsage, LLM_BREAKDOWNS } from "@/server/dashboards/llm";
import { ZMetricRange } from "@/server/dashboards/input";
import { getOverview } from "@/server/dashboards/overview";
import { getPerformance } from "@/server/dashboards/performance";
import { getSpendReadRoles, setSpendReadRoles, ZSpendReadRoles } from "@/server/spend/access";
import { getUserActivity } from "@/server/dashboards/users";
import { createTRPCRouter, orgProcedure, projectProcedure } from "../../trpc";
import { errorsRouter } from "./errors";
import { exploreRouter } from "./explore";
import { metricsRouter } from "./metrics";
import { ZLlmOverTimeOutput, ZLlmUsageOutput, ZOverviewOutput, ZUserActivityOutput } from "./outputs";

const dataRead = projectProcedure("data:read").input(ZMetricRange);

export const dashboardsRouter = createTRPCRouter({
  overview: dataRead.output(ZOverviewOutput).query(({ ctx, input }) => getOverview(pool, { ...input, projectId: ctx.project.id, includeSpend: ctx.seesSpend })),
  performance: dataRead.query(({ ctx, input }) => getPerformance(pool, { ...input, projectId: ctx.project.id })),
  llm: dataRead.output(ZLlmUsageOutput).query(({ ctx, input }) => getLlmUsage(pool, { ...input, projectId: ctx.project.id, includeSpend: ctx.seesSpend })),
  /** Cost, tokens and calls over time broken down by model, provider, feature or user. */
  llmOverTime: dataRead
    .input(z.object({ by: z.enum(LLM_BREAKDOWNS) }))
    .output(ZLlmOverTimeOutput)
    .query(({ ctx, input }) => getLlmOverTime(pool, { ...input, projectId: ctx.project.id, includeSpend: ctx.seesSpend })),
  users: dataRead
    .output(ZUserActivityOutput)
    .query(({ ctx, input }) => getUserActivity(pool, { ...input, projectId: ctx.project.id, includeSpend: ctx.seesSpend })),
  errors: errorsRouter,
  explore: exploreRouter,
  metrics: metricsRouter,
  spendAccess: orgProcedure("org:read").query(async ({ ctx }) => ({
    ...(await getSpendReadRoles({ orgId: ctx.org.id })),
    canSeeSpend: ctx.seesSpend,
  })),
  /** Owners only: which other roles see spend. */
  setSpendAccess: orgProcedure("spend:manage")
    .input(ZSpendReadRoles)
    .mutation(({ ctx, input }) => setSpendReadRoles({ orgId: ctx.org.id, roles: input.roles, actor: ctx.actor })),
});
