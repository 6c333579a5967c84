import { auditFromActor, recordAudit, type AuditActor } from "../audit/record";
import { prisma } from "../db/prisma";
import { notFound } from "@/server/app-error";
import { evictApiKey } from "./cache";
import { notifyRevoked } from "./revocation-listener";

/**
 * Revokes one key of one project (the project scope is part of the query, so a key id of
 * another project is "not found"). Idempotent: revoking a revoked key keeps the first time.
 * Evicts the key from this process's verification cache before returning, so it fails at once
 * here, and notifies every other process through Postgres (`api_key_revoked`, delivered on commit).
 */
export async function revokeApiKey(options: {
  project: { id: string; orgId: string };
  keyId: string;
  actor: AuditActor;
}): Promise<{ id: string; revokedAt: Date }> {
  const { project, keyId, actor } = options;
  const result = await prisma.$transaction(async (tx) => {
    const key = await tx.apiKey.findFirst({
      where: { id: keyId, projectId: project.id },
      select: { id: true, name: true, prefix: true, revokedAt: true },
    });
    if (!key) throw notFound("API key not found");
    if (key.revokedAt) return { id: key.id, revokedAt: key.revokedAt };
    const updated = await tx.apiKey.update({ where: { id: key.id }, data: { revokedAt: new Date() }, select: { revokedAt: true } });
    await notifyRevoked(tx, [key.id]);
    await recordAudit(
      auditFromActor(actor, {
        orgId: project.orgId,
        action: "api_key.revoked",
        targetType: "api_key",
        targetId: key.id,
        metadata: { projectId: project.id, name: key.name, prefix: key.prefix },
      }),
      tx,
    );
    return { id: key.id, revokedAt: updated.revokedAt! };
  });
  evictApiKey(keyId);
  return result;
}
