/** The metrics explorer's procedures: thin over src/server/dashboards/metrics-catalog and metrics-explore. */
import { z } from "zod";
import { pool } from "@/server/db/pool";
import { listMetricAttributeKeys, listMetricNames, ZMetricNameSearch, ZMetricWindow } from "@/server/dashboards/metrics-catalog";
import { exploreMetric, ZMetricExplore } from "@/server/dashboards/metrics-explore";
import { createTRPCRouter, projectProcedure } from "../../trpc";

const read = projectProcedure("data:read");

export const metricsRouter = createTRPCRouter({
  /** Metric names in the range, with kind, OTLP type and unit. */
  names: read
    .input(ZMetricWindow)
    .input(ZMetricNameSearch)
    .query(({ ctx, input }) => listMetricNames(pool, { ...input, projectId: ctx.project.id })),
  /** Attribute keys of one metric, for the filter and group-by pickers. */
  attributeKeys: read
    .input(ZMetricWindow)
    .input(z.object({ name: z.string().trim().min(1).max(256) }))
    .query(({ ctx, input }) => listMetricAttributeKeys(pool, { ...input, projectId: ctx.project.id })),
  explore: read.input(ZMetricExplore).query(({ ctx, input }) => exploreMetric(pool, { ...input, projectId: ctx.project.id })),
});
