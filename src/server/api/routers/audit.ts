import { pool } from "../../db/pool";
import { listAuditActions, listAuditLog, ZAuditListInput } from "../../audit/query";
import { auditSigningKey } from "../../audit/signing-key";
import { checkpointOrgNow, orgAuditVerification } from "../../audit/verification";
import { createTRPCRouter, orgProcedure } from "../trpc";

export const auditRouter = createTRPCRouter({
  list: orgProcedure("audit:read")
    .input(ZAuditListInput)
    .query(({ ctx, input }) => listAuditLog(pool, { orgId: ctx.org.id, input })),

  actions: orgProcedure("audit:read").query(({ ctx }) => listAuditActions(pool, { orgId: ctx.org.id })),

  verification: orgProcedure("audit:read").query(({ ctx }) => orgAuditVerification(pool, auditSigningKey(), ctx.org.id)),

  checkpointNow: orgProcedure("audit:read").mutation(({ ctx }) => checkpointOrgNow(pool, auditSigningKey(), ctx.org.id)),
});
