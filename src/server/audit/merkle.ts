/**
 * The Merkle tree of an audit chain, as RFC 6962 / RFC 9162 define it: leaf H(0x00 ‖ entry),
 * node H(0x01 ‖ left ‖ right), split at the largest power of two below n, empty tree H("").
 * Inclusion and consistency proofs are built from the leaves and verified with the RFC 9162
 * §2.1.3.2 and §2.1.4.2 algorithms, so a proof from any RFC-conformant log checks here and ours
 * check anywhere. Pure: the verifiers are what customers run, so they trust nothing they are given.
 */
import { createHash } from "node:crypto";

const sha256 = (...parts: Buffer[]) => {
  const h = createHash("sha256");
  for (const p of parts) h.update(p);
  return h.digest();
};
const LEAF = Buffer.from([0x00]);
const NODE = Buffer.from([0x01]);

export const leafHash = (entry: Buffer | string) => sha256(LEAF, typeof entry === "string" ? Buffer.from(entry, "utf8") : entry);
export const nodeHash = (left: Buffer, right: Buffer) => sha256(NODE, left, right);
export const EMPTY_ROOT = sha256();

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
    return m <= k ? [...sub(m, d.slice(0, k), complete), rootFromLeafHashes(d.slice(k))] : [...sub(m - k, d.slice(k), false), rootFromLeafHashes(d.slice(0, k))];
  };
  return sub(size, leaves, true);
}

const isOdd = (n: number) => n % 2 === 1;
const isPowerOfTwo = (n: number) => n > 0 && Number.isInteger(Math.log2(n));
const half = (n: number) => Math.floor(n / 2);

/** RFC 9162 §2.1.3.2: does `proof` put `leaf` at `index` of the tree of `size` with `root`? */
export function verifyInclusion(leaf: Buffer, index: number, size: number, proof: Buffer[], root: Buffer): boolean {
  if (!Number.isSafeInteger(index) || !Number.isSafeInteger(size) || index < 0 || index >= size) return false;
  let fn = index;
  let sn = size - 1;
  let r = leaf;
  for (const p of proof) {
    if (sn === 0) return false;
    if (isOdd(fn) || fn === sn) {
      r = nodeHash(p, r);
      if (!isOdd(fn)) while (!isOdd(fn) && fn !== 0) [fn, sn] = [half(fn), half(sn)];
    } else {
      r = nodeHash(r, p);
    }
    [fn, sn] = [half(fn), half(sn)];
  }
  return sn === 0 && r.equals(root);
}

/** RFC 9162 §2.1.4.2: is the tree of `size2` with `root2` an append-only extension of the one of `size1` with `root1`? */
export function verifyConsistency(size1: number, size2: number, root1: Buffer, root2: Buffer, proof: Buffer[]): boolean {
  if (!Number.isSafeInteger(size1) || !Number.isSafeInteger(size2) || size1 < 0 || size1 > size2) return false;
  if (size1 === size2) return proof.length === 0 && root1.equals(root2);
  if (size1 === 0) return proof.length === 0 && root1.equals(EMPTY_ROOT);
  if (proof.length === 0) return false;
  const path = isPowerOfTwo(size1) ? [root1, ...proof] : proof;
  let fn = size1 - 1;
  let sn = size2 - 1;
  while (isOdd(fn)) [fn, sn] = [half(fn), half(sn)];
  let fr = path[0]!;
  let sr = path[0]!;
  for (const c of path.slice(1)) {
    if (sn === 0) return false;
    if (isOdd(fn) || fn === sn) {
      fr = nodeHash(c, fr);
      sr = nodeHash(c, sr);
      if (!isOdd(fn)) while (!isOdd(fn) && fn !== 0) [fn, sn] = [half(fn), half(sn)];
    } else {
      sr = nodeHash(sr, c);
    }
    [fn, sn] = [half(fn), half(sn)];
  }
  return fr.equals(root1) && sr.equals(root2) && sn === 0;
}
