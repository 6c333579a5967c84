import { z } from "zod";
import { containsPattern, type Db } from "@/server/db/sql";

export const ZAuditListInput = z.object({
  action: z.string().trim().min(1).max(64).optional(),
  actorEmail: z.string().trim().min(1).max(254).optional(),
  cursor: z.string().regex(/^\d+$/, "Invalid cursor").optional(),
  limit: z.number().int().min(1).max(200).default(50),
});
type AuditListInput = z.input<typeof ZAuditListInput>;

export type AuditListItem = {
  id: string;
  /** Position in its chain (1-based): what inclusion proofs name. */
  seq: string;
  action: string;
  actorId: string | null;
  actorEmail: string | null;
  targetType: string | null;
  targetId: string | null;
  ip: string | null;
  userAgent: string | null;
  metadata: unknown;
  createdAt: Date;
};

/**
 * What an organisation's audit log shows: its own chain only. Account events (sign-up, sign-ins,
 * sign-out) belong to the person, not to any organisation they joined (their IPs and devices from
 * before they joined are none of its admins' business); each user sees them on their account page.
 */
const VISIBLE = `a.org_id = $1::uuid`;

/** Whose log: an organisation's own (as above), or one chain (an app's trail: `project:<id>`). */
export type AuditScope = { orgId: string } | { chain: string };
const scopeOf = (scope: AuditScope): { where: string; param: string } =>
  "orgId" in scope ? { where: VISIBLE, param: scope.orgId } : { where: `a.chain = $1`, param: scope.chain };

/** Newest first, `limit` at a time; `nextCursor` continues below the last record returned. */
export async function listAuditLog(db: Db, options: AuditScope & { input: AuditListInput }): Promise<{ items: AuditListItem[]; nextCursor: string | null }> {
  const input = ZAuditListInput.parse(options.input);
  const scope = scopeOf(options);
  const params: unknown[] = [scope.param];
  const where = [scope.where];
  if (input.action) {
    params.push(input.action);
    where.push(`a.action = $${params.length}`);
  }
  if (input.actorEmail) {
    params.push(containsPattern(input.actorEmail.toLowerCase()));
    where.push(`lower(a.actor_email) LIKE $${params.length}`);
  }
  if (input.cursor) {
    params.push(input.cursor);
    where.push(`a.id < $${params.length}::bigint`);
  }
  params.push(input.limit + 1);
  const { rows } = await db.query<{
    id: string;
    seq: string;
    action: string;
    actor_id: string | null;
    actor_email: string | null;
    target_type: string | null;
    target_id: string | null;
    ip: string | null;
    user_agent: string | null;
    metadata: unknown;
    created_at: Date;
  }>(
    `SELECT a.id::text, a.seq::text, a.action, a.actor_id, a.actor_email, a.target_type, a.target_id, a.ip, a.user_agent, a.metadata, a.created_at
       FROM audit_log a
      WHERE ${where.join(" AND ")}
      ORDER BY a.id DESC
      LIMIT $${params.length}`,
    params,
  );
  const page = rows.slice(0, input.limit);
  return {
    items: page.map((r) => ({
      id: r.id,
      seq: r.seq,
      action: r.action,
      actorId: r.actor_id,
      actorEmail: r.actor_email,
      targetType: r.target_type,
      targetId: r.target_id,
      ip: r.ip,
      userAgent: r.user_agent,
      metadata: r.metadata,
      createdAt: r.created_at,
    })),
    nextCursor: rows.length > input.limit ? page[page.length - 1]!.id : null,
  };
}

/** The distinct actions present in the organisation's visible log (for the filter). */
export async function listAuditActions(db: Db, options: AuditScope): Promise<string[]> {
  const scope = scopeOf(options);
  const { rows } = await db.query<{ action: string }>(`SELECT DISTINCT a.action FROM audit_log a WHERE ${scope.where} ORDER BY a.action`, [scope.param]);
  return rows.map((r) => r.action);
}

export type AccountEvent = Pick<AuditListItem, "id" | "action" | "ip" | "userAgent" | "metadata" | "createdAt">;

/** The signed-in user's own account events (sign-ins, failed sign-ins for their e-mail, sign-outs), newest first. */
export async function listOwnAccountEvents(db: Db, options: { userId: string; email: string; limit?: number }): Promise<AccountEvent[]> {
  const { rows } = await db.query<{ id: string; action: string; ip: string | null; user_agent: string | null; metadata: unknown; created_at: Date }>(
    `SELECT a.id::text, a.action, a.ip, a.user_agent, a.metadata, a.created_at FROM audit_log a
      WHERE a.org_id IS NULL AND a.action LIKE 'user.%' AND (a.actor_id = $1::uuid OR lower(a.actor_email) = lower($2))
      ORDER BY a.id DESC LIMIT $3`,
    [options.userId, options.email, options.limit ?? 50],
  );
  return rows.map((r) => ({ id: r.id, action: r.action, ip: r.ip, userAgent: r.user_agent, metadata: r.metadata, createdAt: r.created_at }));
}
