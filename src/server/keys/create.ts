import { z } from "zod";
import { auditFromActor, recordAudit, type AuditActor } from "../audit/record";
import { prisma } from "../db/prisma";
import { generateApiKey, ZApiKeyScope, type GeneratedApiKey } from "./generate";

const ZApiKeyName = z.string().trim().min(1, "Name the key").max(100, "Key names are at most 100 characters");
export const ZCreateApiKey = z.object({ name: ZApiKeyName, scope: ZApiKeyScope });
type CreateApiKeyInput = z.infer<typeof ZCreateApiKey>;

type CreatedApiKey = { id: string; secret: string; prefix: string };

/**
 * Creates a project key and its audit record in one transaction. The secret is returned here
 * and never again; only its SHA-256 is stored. `key` lets the demo seed supply a deterministic one.
 */
export async function createApiKey(options: {
  project: { id: string; orgId: string };
  input: CreateApiKeyInput;
  actor: AuditActor & { userId: string };
  /** The creator's `spend:read`: a key never sees more than the person who made it. */
  seesSpend: boolean;
  key?: GeneratedApiKey;
}): Promise<CreatedApiKey> {
  const { project, actor } = options;
  const input = ZCreateApiKey.parse(options.input);
  const generated = options.key ?? generateApiKey(input.scope);
  const row = await prisma.$transaction(async (tx) => {
    const created = await tx.apiKey.create({
      data: {
        projectId: project.id,
        name: input.name,
        scope: input.scope,
        prefix: generated.prefix,
        secretHash: generated.secretHash,
        createdById: actor.userId,
        seesSpend: options.seesSpend,
      },
      select: { id: true },
    });
    await recordAudit(
      auditFromActor(actor, {
        orgId: project.orgId,
        action: "api_key.created",
        targetType: "api_key",
        targetId: created.id,
        metadata: { projectId: project.id, name: input.name, scope: input.scope, prefix: generated.prefix, seesSpend: options.seesSpend },
      }),
      tx,
    );
    return created;
  });
  return { id: row.id, secret: generated.secret, prefix: generated.prefix };
}
