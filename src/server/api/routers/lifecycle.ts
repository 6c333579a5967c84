import { pool } from "../../db/pool";
import { policiesFor, setRetentionPolicy, ZSetRetention } from "../../lifecycle/policy";
import { archiveStoreFromEnv } from "../../lifecycle/store-from-env";
import { listArchives } from "../../lifecycle/archives";
import { dataOverview } from "../../lifecycle/overview";
import { endUserCounts, eraseEndUser, ZEndUser } from "../../lifecycle/end-user";
import { createTRPCRouter, projectProcedure } from "../trpc";

/** Settings → Data: retention policy per kind (mounted by root.ts). Everyone reads; owners and admins write. */
export const lifecycleRouter = createTRPCRouter({
  policy: projectProcedure("projects:read").query(async ({ ctx }) => {
    const policy = (await policiesFor(pool, [ctx.project.id])).get(ctx.project.id)!;
    return Object.values(policy);
  }),

  /** Per kind: rows, oldest event, size, policy, and the next run's estimate. */
  overview: projectProcedure("projects:read").query(({ ctx }) => dataOverview(pool, ctx.project)),

  /** The project's archive parts (manifests); downloads go through GET /api/archives/<org>/<project>. */
  archives: projectProcedure("settings:update").query(({ ctx }) => listArchives(archiveStoreFromEnv(), ctx.project)),

  /** Rows stored about one end user, per kind (the export itself is GET /api/end-users/<org>/<project>). */
  endUser: projectProcedure("settings:update")
    .input(ZEndUser)
    .query(({ ctx, input }) => endUserCounts(pool, ctx.project.id, input.userId)),

  eraseEndUser: projectProcedure("settings:update")
    .input(ZEndUser)
    .mutation(({ ctx, input }) => eraseEndUser(pool, ctx.project, input.userId, ctx.actor)),

  setPolicy: projectProcedure("settings:update")
    .input(ZSetRetention)
    .mutation(({ ctx, input }) => setRetentionPolicy({ project: ctx.project, input, actor: ctx.actor })),
});
