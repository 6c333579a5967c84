/**
 * The read API's view of an app's audit trail (read key): the project's `audit` events newest first,
 * and the inclusion proof of one of them in the latest signed checkpoint.
 */
import { z } from "zod";
import type { Db } from "@/server/db/sql";
import { projectChain } from "./app-trail";
import { listAuditLog } from "./query";
import { auditSigningKey } from "./signing-key";
import { inclusionProofOf } from "./verification";

export const ZAuditReadQuery = z.object({
  action: z.string().trim().min(1).max(64).optional(),
  actor: z.string().trim().min(1).max(254).optional(),
  cursor: z.string().regex(/^\d+$/, "must be the nextCursor of the previous page").optional(),
  limit: z.coerce.number({ error: "must be a number from 1 to 200" }).int().min(1).max(200, "must be at most 200").default(50),
});

export const ZAuditProofQuery = z.object({
  seq: z.coerce.number({ error: "must be an entry's seq (a whole number from 1)" }).int("must be a whole number").min(1, "must be at least 1"),
});

export function listAppAudit(db: Db, projectId: string, query: z.output<typeof ZAuditReadQuery>) {
  return listAuditLog(db, {
    chain: projectChain(projectId),
    input: { action: query.action, actorEmail: query.actor, cursor: query.cursor, limit: query.limit },
  });
}

export function appAuditProof(db: Db, projectId: string, query: z.output<typeof ZAuditProofQuery>) {
  return inclusionProofOf(db, auditSigningKey(), projectChain(projectId), query.seq);
}
