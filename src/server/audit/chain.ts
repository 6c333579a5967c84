import { createHash } from "node:crypto";
import canonicalize from "canonicalize";

/** The hash every chain starts from (SHA-256 of the string "sightline-audit-genesis"). */
export const GENESIS_HASH = createHash("sha256").update("sightline-audit-genesis").digest("hex");

export type ChainedRecord = {
  chain: string;
  seq: string;
  orgId: string | null;
  actorId: string | null;
  actorEmail: string | null;
  action: string;
  targetType: string | null;
  targetId: string | null;
  ip: string | null;
  userAgent: string | null;
  metadata: unknown;
  createdAt: string;
};

/** hash_n = SHA-256(hash_{n-1} || canonical(record_n)), canonical JSON per RFC 8785. */
export function chainHash(prevHash: string, record: ChainedRecord): string {
  const canonical = canonicalize(record);
  if (canonical === undefined) throw new Error("audit record cannot be canonicalised");
  return createHash("sha256").update(prevHash).update(canonical).digest("hex");
}
