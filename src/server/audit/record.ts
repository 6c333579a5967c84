import { prisma, type Prisma } from "../db/prisma";
import { log } from "../log";
import { chainHash, GENESIS_HASH, type ChainedRecord } from "./chain";

const AUDIT_ACTIONS = [
  "user.signed_up",
  "user.signed_in",
  "user.sign_in_failed",
  "user.signed_out",
  "org.created",
  "org.updated",
  "org.deleted",
  "invitation.sent",
  "invitation.accepted",
  "invitation.revoked",
  "member.role_changed",
  "member.removed",
  "project.created",
  "project.updated",
  "project.deleted",
  "api_key.created",
  "api_key.revoked",
  "settings.changed",
] as const;
type AuditAction = (typeof AUDIT_ACTIONS)[number] | (string & {});

type AuditEntry = {
  orgId?: string | null;
  /** Only "global": a record that must outlive its organisation's chain (org.deleted). */
  chain?: "global";
  actorId?: string | null;
  actorEmail?: string | null;
  action: AuditAction;
  targetType?: string | null;
  targetId?: string | null;
  ip?: string | null;
  userAgent?: string | null;
  metadata?: Record<string, unknown>;
};

/** What a request knows about who is acting and from where. */
export type AuditActor = { userId: string | null; email: string | null; ip: string | null; userAgent: string | null };

type Tx = Prisma.TransactionClient;

/**
 * One chain per organisation; account events (no organisation) chain per user, so sign-ins of
 * different people never wait on one lock. Only events with neither (a failed sign-in for an
 * unknown e-mail) share the "global" chain.
 */
const chainFor = (entry: Pick<AuditEntry, "orgId" | "actorId" | "chain">) => entry.chain ?? entry.orgId ?? (entry.actorId ? `user:${entry.actorId}` : "global");

async function appendInTx(tx: Tx, entry: AuditEntry) {
  const chain = chainFor(entry);
  // Appends to one chain are serialised; other chains proceed in parallel.
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${"audit:" + chain}, 0))`;
  const last = await tx.auditLog.findFirst({ where: { chain }, orderBy: { seq: "desc" }, select: { seq: true, hash: true } });
  const seq = (last?.seq ?? 0n) + 1n;
  const prevHash = last?.hash ?? GENESIS_HASH;
  const createdAt = new Date();
  const record: ChainedRecord = {
    chain,
    seq: seq.toString(),
    orgId: entry.orgId ?? null,
    actorId: entry.actorId ?? null,
    actorEmail: entry.actorEmail ?? null,
    action: entry.action,
    targetType: entry.targetType ?? null,
    targetId: entry.targetId ?? null,
    ip: entry.ip?.slice(0, 64) ?? null,
    userAgent: entry.userAgent?.slice(0, 512) ?? null,
    metadata: entry.metadata ?? {},
    createdAt: createdAt.toISOString(),
  };
  await tx.auditLog.create({
    data: {
      ...record,
      seq,
      metadata: record.metadata as Prisma.InputJsonValue,
      createdAt,
      prevHash,
      hash: chainHash(prevHash, record),
    },
  });
}

/**
 * Appends one record to its organisation's chain. Pass the transaction of the action it
 * records so both commit or neither does; without one it runs in its own transaction.
 */
export async function recordAudit(entry: AuditEntry, tx?: Tx): Promise<void> {
  if (tx) return appendInTx(tx, entry);
  await prisma.$transaction((t) => appendInTx(t, entry));
  log.info({ audit: entry.action, targetId: entry.targetId }, "audit");
}

export function auditFromActor(actor: AuditActor, entry: Omit<AuditEntry, "actorId" | "actorEmail" | "ip" | "userAgent">): AuditEntry {
  return { ...entry, actorId: actor.userId, actorEmail: actor.email, ip: actor.ip, userAgent: actor.userAgent };
}
