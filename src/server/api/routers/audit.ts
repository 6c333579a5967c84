import { pool } from "../../db/pool";
import { listAuditActions, listAuditLog, ZAuditListInput } from "../../audit/query";
import { createTRPCRouter, orgProcedure } from "../trpc";

export const auditRouter = createTRPCRouter({
  list: orgProcedure("audit:read")
    .input(ZAuditListInput)
    .query(({ ctx, input }) => listAuditLog(pool, { orgId: ctx.org.id, input })),

  actions: orgProcedure("audit:read").query(({ ctx }) => listAuditActions(pool, { orgId: ctx.org.id })),
});
