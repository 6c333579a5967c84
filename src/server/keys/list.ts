import { prisma } from "../db/prisma";
import type { ApiKeyScope } from "./generate";

type ApiKeyListItem = {
  id: string;
  name: string;
  scope: ApiKeyScope;
  prefix: string;
  createdBy: { name: string; email: string };
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
  /** Reads with it include LLM spend (its creator's spend:read when it was created). */
  seesSpend: boolean;
};

/** A project's keys, newest first — never the hash. Active keys before revoked ones. */
export async function listApiKeys(options: { projectId: string }): Promise<ApiKeyListItem[]> {
  const rows = await prisma.apiKey.findMany({
    where: { projectId: options.projectId },
    orderBy: [{ createdAt: "desc" }, { id: "asc" }],
    select: {
      id: true,
      name: true,
      scope: true,
      prefix: true,
      createdAt: true,
      lastUsedAt: true,
      revokedAt: true,
      seesSpend: true,
      createdBy: { select: { name: true, email: true } },
    },
  });
  return rows.sort((a, b) => Number(a.revokedAt !== null) - Number(b.revokedAt !== null));
}
