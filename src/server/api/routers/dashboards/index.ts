/**
 * Dashboard procedures (mounted by root.ts as `dashboards`). Thin: parse, authorise, call one
 * function in src/server/dashboards. Spend fields are left out for callers without `spend:read`.
 */
import { TRPCError } from "@trpc/server";
import { z } from "zod";
import { can } from "@/server/auth/permissions";
import { pool } from "@/server/db/pool";
import { getLlmOverTime, getLlmUsage, LLM_BREAKDOWNS } from "@/server/dashboards/llm";
import { ZMetricRange } from "@/server/dashboards/input";
import { getOverview } from "@/server/dashboards/overview";
import { getPerformance } from "@/server/dashboards/performance";
import { getSpendReadRoles, setSpendReadRoles, ZSpendReadRoles } from "@/server/spend/access";
import { getUserActivity } from "@/server/dashboards/users";
import { createTRPCRouter, orgProcedure, projectProcedure, type OrgScope } from "../../trpc";
import { errorsRouter } from "./errors";
import { exploreRouter } from "./explore";

export const canSeeSpend = (org: OrgScope) => can(org.role, "spend:read", org);

const dataRead = projectProcedure("data:read").input(ZMetricRange);

export const dashboardsRouter = createTRPCRouter({
  overview: dataRead.query(({ ctx, input }) =>
    getOverview(pool, { ...input, projectId: ctx.project.id, includeSpend: canSeeSpend(ctx.org) })),
  performance: dataRead.query(({ ctx, input }) => getPerformance(pool, { ...input, projectId: ctx.project.id })),
  llm: dataRead.query(({ ctx, input }) =>
    getLlmUsage(pool, { ...input, projectId: ctx.project.id, includeSpend: canSeeSpend(ctx.org) })),
  /** Cost, tokens and calls over time broken down by model, provider, feature or user. */
  llmOverTime: dataRead
    .input(z.object({ by: z.enum(LLM_BREAKDOWNS) }))
    .query(({ ctx, input }) => getLlmOverTime(pool, { ...input, projectId: ctx.project.id, includeSpend: canSeeSpend(ctx.org) })),
  users: dataRead.query(({ ctx, input }) =>
    getUserActivity(pool, { ...input, projectId: ctx.project.id, includeSpend: canSeeSpend(ctx.org) })),
  errors: errorsRouter,
  explore: exploreRouter,
  spendAccess: orgProcedure("org:read").query(async ({ ctx }) => ({
    ...(await getSpendReadRoles({ orgId: ctx.org.id })),
    canSeeSpend: canSeeSpend(ctx.org),
  })),
  /** Owners only: which other roles see spend. */
  setSpendAccess: orgProcedure("org:update")
    .input(ZSpendReadRoles)
    .mutation(({ ctx, input }) => {
      if (ctx.org.role !== "owner") throw new TRPCError({ code: "FORBIDDEN", message: "Only owners decide who sees spend" });
      return setSpendReadRoles({ orgId: ctx.org.id, roles: input.roles, actor: ctx.actor });
    }),
});

export type DashboardsRouter = typeof dashboardsRouter;
