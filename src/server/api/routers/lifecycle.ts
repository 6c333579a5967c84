import { pool } from "../../db/pool";
import { policiesFor, setRetentionPolicy, ZSetRetention } from "../../lifecycle/policy";
import { createTRPCRouter, projectProcedure } from "../trpc";

/** Settings → Data: retention policy per kind (mounted by root.ts). Everyone reads; owners and admins write. */
export const lifecycleRouter = createTRPCRouter({
  policy: projectProcedure("projects:read").query(async ({ ctx }) => {
    const policy = (await policiesFor(pool, [ctx.project.id])).get(ctx.project.id)!;
    return Object.values(policy);
  }),

  setPolicy: projectProcedure("settings:update")
    .input(ZSetRetention)
    .mutation(({ ctx, input }) => setRetentionPolicy({ project: ctx.project, input, actor: ctx.actor })),
});
