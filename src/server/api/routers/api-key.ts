import { z } from "zod";
import { createApiKey, ZCreateApiKey } from "../../keys/create";
import { listApiKeys } from "../../keys/list";
import { revokeApiKey } from "../../keys/revoke";
import { createTRPCRouter, projectProcedure } from "../trpc";
import { signedInActor } from "./actor";

export const apiKeyRouter = createTRPCRouter({
  list: projectProcedure("apiKeys:read").query(({ ctx }) => listApiKeys({ projectId: ctx.project.id })),

  create: projectProcedure("apiKeys:create")
    .input(ZCreateApiKey)
    .mutation(({ ctx, input }) => createApiKey({ project: ctx.project, input, actor: signedInActor(ctx), seesSpend: ctx.seesSpend })),

  revoke: projectProcedure("apiKeys:revoke")
    .input(z.object({ keyId: z.uuid("Unknown key") }))
    .mutation(({ ctx, input }) => revokeApiKey({ project: ctx.project, keyId: input.keyId, actor: ctx.actor })),
});
