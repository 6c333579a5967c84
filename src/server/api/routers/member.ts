import { z } from "zod";
import { changeMemberRole, listMembers, removeMember, ZRole, ZUserId } from "../../tenancy/members";
import { createTRPCRouter, orgProcedure } from "../trpc";

export const memberRouter = createTRPCRouter({
  list: orgProcedure("members:read").query(({ ctx }) => listMembers({ org: ctx.org })),

  changeRole: orgProcedure("members:update")
    .input(z.object({ userId: ZUserId, role: ZRole }))
    .mutation(({ ctx, input }) => changeMemberRole({ org: ctx.org, userId: input.userId, role: input.role, actor: ctx.actor })),

  remove: orgProcedure("members:remove")
    .input(z.object({ userId: ZUserId }))
    .mutation(({ ctx, input }) => removeMember({ org: ctx.org, userId: input.userId, actor: ctx.actor })),
});
