import {
  createOrganization,
  getOrganization,
  listOrganizations,
  updateOrganization,
  ZCreateOrganization,
  ZUpdateOrganization,
} from "../../tenancy/organizations";
import { deleteOrganization, ZDeleteOrganization } from "../../tenancy/delete-organization";
import { createTRPCRouter, orgProcedure, protectedProcedure } from "../trpc";
import { signedInActor } from "./actor";

export const orgRouter = createTRPCRouter({
  list: protectedProcedure.query(async ({ ctx }) => (await listOrganizations({ userId: ctx.user.id })).map(({ slug, name, role }) => ({ slug, name, role }))),

  create: protectedProcedure.input(ZCreateOrganization).mutation(({ ctx, input }) => createOrganization({ input, actor: signedInActor(ctx) })),

  get: orgProcedure("org:read").query(({ ctx }) => getOrganization({ org: ctx.org })),

  update: orgProcedure("org:update")
    .input(ZUpdateOrganization)
    .mutation(({ ctx, input }) => updateOrganization({ org: ctx.org, input, actor: ctx.actor })),

  /** Owners only; `confirm` must be the organisation's slug. Cascades everything it holds. */
  delete: orgProcedure("org:delete")
    .input(ZDeleteOrganization)
    .mutation(({ ctx, input }) => deleteOrganization({ org: ctx.org, confirm: input.confirm, actor: ctx.actor })),
});
