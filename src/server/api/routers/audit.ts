import { z } from "zod";
import { pool } from "../../db/pool";
import { projectChain } from "../../audit/app-trail";
import { listAuditActions, listAuditLog, ZAuditListInput } from "../../audit/query";
import { auditSigningKey } from "../../audit/signing-key";
import { chainVerification, checkpointChainNow, inclusionProofOf } from "../../audit/verification";
import { createTRPCRouter, orgProcedure, projectProcedure } from "../trpc";

export const auditRouter = createTRPCRouter({
  list: orgProcedure("audit:read")
    .input(ZAuditListInput)
    .query(({ ctx, input }) => listAuditLog(pool, { orgId: ctx.org.id, input })),

  actions: orgProcedure("audit:read").query(({ ctx }) => listAuditActions(pool, { orgId: ctx.org.id })),

  verification: orgProcedure("audit:read").query(({ ctx }) => chainVerification(pool, auditSigningKey(), ctx.org.id)),

  checkpointNow: orgProcedure("audit:read").mutation(({ ctx }) => checkpointChainNow(pool, auditSigningKey(), ctx.org.id)),

  /** An app's own audit trail (the project's `audit` events): project data, readable as its logs are. */
  app: createTRPCRouter({
    list: projectProcedure("data:read")
      .input(ZAuditListInput)
      .query(({ ctx, input }) => listAuditLog(pool, { chain: projectChain(ctx.project.id), input })),
    actions: projectProcedure("data:read").query(({ ctx }) => listAuditActions(pool, { chain: projectChain(ctx.project.id) })),
    verification: projectProcedure("data:read").query(({ ctx }) => chainVerification(pool, auditSigningKey(), projectChain(ctx.project.id))),
    proof: projectProcedure("data:read")
      .input(z.object({ seq: z.number().int().min(1) }))
      .query(({ ctx, input }) => inclusionProofOf(pool, auditSigningKey(), projectChain(ctx.project.id), input.seq)),
    checkpointNow: projectProcedure("audit:read").mutation(({ ctx }) => checkpointChainNow(pool, auditSigningKey(), projectChain(ctx.project.id))),
  }),
});
