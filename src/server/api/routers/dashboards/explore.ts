import { TRPCError } from "@trpc/server";
import { z } from "zod";
import { pool } from "@/server/db/pool";
import { searchLogs, ZLogSearch } from "@/server/dashboards/logs";
import { traceWithoutSpend } from "@/server/spend/access";
import { getTrace, listTraces, logErrorGroups, ZLogErrorGroups, ZTraceList } from "@/server/dashboards/traces";
import { createTRPCRouter, projectProcedure } from "../../trpc";
import { ZTraceOutput } from "./outputs";

export const exploreRouter = createTRPCRouter({
  logs: projectProcedure("data:read")
    .input(ZLogSearch)
    .query(async ({ ctx, input: { cursor, ...input } }) => {
      const found = await searchLogs(pool, { ...input, after: cursor, projectId: ctx.project.id });
      return { items: found.items, nextCursor: found.next };
    }),
  /** Error groups of the events sharing a log's trace (and span): the log drawer's links. */
  logErrorGroups: projectProcedure("data:read")
    .input(ZLogErrorGroups)
    .query(({ ctx, input }) => logErrorGroups(pool, { ...input, projectId: ctx.project.id })),
  traces: projectProcedure("data:read")
    .input(ZTraceList)
    .query(({ ctx, input }) => listTraces(pool, { ...input, projectId: ctx.project.id })),
  trace: projectProcedure("data:read")
    .input(z.object({ traceId: z.string().trim().min(1).max(64) }))
    .output(ZTraceOutput)
    .query(async ({ ctx, input }) => {
      const trace = await getTrace(pool, { projectId: ctx.project.id, traceId: input.traceId });
      if (!trace) throw new TRPCError({ code: "NOT_FOUND", message: "Trace not found" });
      // LLM calls carry their cost: callers without spend:read get the trace without it.
      return ctx.seesSpend ? trace : traceWithoutSpend(trace);
    }),
});
