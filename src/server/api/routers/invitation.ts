import { z } from "zod";
import {
  acceptInvitation,
  createInvitation,
  listInvitations,
  previewInvitation,
  revokeInvitation,
  ZCreateInvitation,
  ZInvitationToken,
} from "../../tenancy/invitations";
import { createTRPCRouter, orgProcedure, protectedProcedure, publicProcedure } from "../trpc";
import { signedInActor } from "./actor";

const ZToken = z.object({ token: ZInvitationToken });

export const invitationRouter = createTRPCRouter({
  list: orgProcedure("members:invite").query(({ ctx }) => listInvitations({ org: ctx.org })),

  create: orgProcedure("members:invite")
    .input(ZCreateInvitation)
    .mutation(({ ctx, input }) => createInvitation({ org: ctx.org, input, actor: signedInActor(ctx), origin: ctx.origin })),

  revoke: orgProcedure("members:invite")
    .input(z.object({ invitationId: z.uuid("Unknown invitation") }))
    .mutation(({ ctx, input }) => revokeInvitation({ org: ctx.org, invitationId: input.invitationId, actor: ctx.actor })),

  preview: publicProcedure.input(ZToken).query(({ input }) => previewInvitation({ token: input.token })),

  accept: protectedProcedure.input(ZToken).mutation(({ ctx, input }) => acceptInvitation({ token: input.token, user: ctx.user, actor: ctx.actor })),
});
