import { z } from "zod";
import { pool } from "@/server/db/pool";
import { ERROR_LEVELS, ERROR_STATUSES } from "@/server/vocabulary";
import { getErrorGroup, listErrorGroupsInRange, setErrorGroupStatus } from "@/server/dashboards/errors";
import { ZMetricRange } from "@/server/dashboards/input";
import { createTRPCRouter, projectProcedure } from "../../trpc";

export const errorsRouter = createTRPCRouter({
  list: projectProcedure("data:read")
    .input(ZMetricRange)
    .input(
      z.object({
        status: z.enum(ERROR_STATUSES).optional(),
        level: z.array(z.enum(ERROR_LEVELS)).max(5).optional(),
        limit: z.number().int().min(1).max(200).default(50),
      }),
    )
    .query(({ ctx, input }) => listErrorGroupsInRange(pool, { ...input, projectId: ctx.project.id })),
  get: projectProcedure("data:read")
    .input(ZMetricRange)
    .input(z.object({ groupId: z.uuid() }))
    .query(({ ctx, input }) => getErrorGroup(pool, { ...input, projectId: ctx.project.id })),
  setStatus: projectProcedure("errors:triage")
    .input(z.object({ groupId: z.uuid(), status: z.enum(ERROR_STATUSES) }))
    .mutation(({ ctx, input }) =>
      setErrorGroupStatus({ projectId: ctx.project.id, orgId: ctx.org.id, groupId: input.groupId, status: input.status, actor: ctx.actor }),
    ),
});
