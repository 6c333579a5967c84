/**
 * The Merkle tree of an audit chain, as RFC 6962 / RFC 9162 define it: leaf H(0x00 ‖ entry),
 * node H(0x01 ‖ left ‖ right), split at the largest power of two below n, empty tree H("").
 * Inclusion and consistency proofs are built here from the leaves; they are verified by `@sightline/node/audit` (RFC 9162
 * §2.1.3.2 and §2.1.4.2), so a proof from any RFC-conformant log checks here and ours check anywhere.
 */
import { EMPTY_ROOT, leafHash, nodeHash, verifyConsistency, verifyInclusion } from "@sightline/node/audit";

// The verifiers live in the SDK, which customers run offline; the portal checks with the same code.
export { EMPTY_ROOT, leafHash, nodeHash, verifyConsistency, verifyInclusion };

/** The largest power of two strictly below n (n ≥ 2). */
function splitPoint(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

/** MTH over already-hashed leaves. */
export function rootFromLeafHashes(leaves: Buffer[]): Buffer {
  if (leaves.length === 0) return EMPTY_ROOT;
  // Iterative bottom-up pairing gives the same tree as the recursive split (left subtrees are perfect).
  let level = leaves;
  while (level.length > 1) {
    const next: Buffer[] = [];
    for (let i = 0; i + 1 < level.length; i += 2) next.push(nodeHash(level[i]!, level[i + 1]!));
    if (level.length % 2 === 1) next.push(level[level.length - 1]!);
    level = next;
  }
  return level[0]!;
}

/** The audit path of leaf `index` in the tree of `leaves` (RFC 9162 §2.1.3.1). */
export function inclusionProof(leaves: Buffer[], index: number): Buffer[] {
  if (index < 0 || index >= leaves.length) throw new RangeError(`leaf ${index} is outside a tree of ${leaves.length}`);
  const path = (m: number, d: Buffer[]): Buffer[] => {
    if (d.length <= 1) return [];
    const k = splitPoint(d.length);
    return m < k ? [...path(m, d.slice(0, k)), rootFromLeafHashes(d.slice(k))] : [...path(m - k, d.slice(k)), rootFromLeafHashes(d.slice(0, k))];
  };
  return path(index, leaves);
}

/** The proof that the first `size` leaves are a prefix of `leaves` (RFC 9162 §2.1.4.1). */
export function consistencyProof(leaves: Buffer[], size: number): Buffer[] {
  if (size < 0 || size > leaves.length) throw new RangeError(`size ${size} is outside a tree of ${leaves.length}`);
  if (size === 0 || size === leaves.length) return [];
  const sub = (m: number, d: Buffer[], complete: boolean): Buffer[] => {
    if (m === d.length) return complete ? [] : [rootFromLeafHashes(d)];
    const k = splitPoint(d.length);
    return m <= k
      ? [...sub(m, d.slice(0, k), complete), rootFromLeafHashes(d.slice(k))]
      : [...sub(m - k, d.slice(k), false), rootFromLeafHashes(d.slice(0, k))];
  };
  return sub(size, leaves, true);
}
