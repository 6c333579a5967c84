/**
 * Organisation home (mounted by root.ts as `home`): the Engineering / Operations / Management
 * views and events per day, over the caller's organisation's own projects only. Spend figures are
 * left out for callers without `spend:read`.
 */
import { z } from "zod";
import { pool } from "@/server/db/pool";
import { ZOrgPresetOutput } from "@/server/home/outputs";
import { getOrgEventsPerDay, getOrgPreset, PRESETS } from "@/server/home/presets";
import { ZMetricRange, ZTimeZone } from "@/server/dashboards/input";
import { createTRPCRouter, orgProcedure } from "../trpc";

export const homeRouter = createTRPCRouter({
  preset: orgProcedure("data:read")
    .input(ZMetricRange)
    .input(z.object({ view: z.enum(PRESETS) }))
    .output(ZOrgPresetOutput)
    .query(({ ctx, input }) => getOrgPreset(pool, { orgId: ctx.org.id, view: input.view, range: input, includeSpend: ctx.seesSpend })),
  eventsPerDay: orgProcedure("data:read")
    .input(z.object({ timeZone: ZTimeZone, days: z.number().int().min(1).max(31).default(14) }))
    .query(({ ctx, input }) => getOrgEventsPerDay(pool, { orgId: ctx.org.id, timeZone: input.timeZone, days: input.days })),
});
