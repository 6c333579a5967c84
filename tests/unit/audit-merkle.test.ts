import { createHash } from "node:crypto";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  consistencyProof,
  EMPTY_ROOT,
  inclusionProof,
  leafHash,
  nodeHash,
  rootFromLeafHashes,
  verifyConsistency,
  verifyInclusion,
} from "@/server/audit/merkle";

const leaves = (n: number) => Array.from({ length: n }, (_, i) => leafHash(`entry ${i}`));

/** MTH exactly as RFC 9162 §2.1.1 writes it, recursively, to check the iterative root against. */
function mth(d: Buffer[]): Buffer {
  if (d.length === 0) return createHash("sha256").digest();
  if (d.length === 1) return d[0]!;
  let k = 1;
  while (k * 2 < d.length) k *= 2;
  return nodeHash(mth(d.slice(0, k)), mth(d.slice(k)));
}

describe("Merkle tree (RFC 9162)", () => {
  it("hashes leaves and nodes with their domain-separation bytes, and the empty tree as SHA-256 of nothing", () => {
    expect(
      leafHash("a").equals(
        createHash("sha256")
          .update(Buffer.from([0]))
          .update("a")
          .digest(),
      ),
    ).toBe(true);
    expect(EMPTY_ROOT.toString("hex")).toBe("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    for (let n = 0; n <= 33; n++) expect(rootFromLeafHashes(leaves(n)).equals(mth(leaves(n)))).toBe(true);
  });

  it("every inclusion and consistency proof of trees up to 40 leaves verifies", () => {
    for (let n = 1; n <= 40; n++) {
      const d = leaves(n);
      const root = rootFromLeafHashes(d);
      for (let i = 0; i < n; i++) expect(verifyInclusion(d[i]!, i, n, inclusionProof(d, i), root)).toBe(true);
      for (let m = 0; m <= n; m++) expect(verifyConsistency(m, n, rootFromLeafHashes(d.slice(0, m)), root, consistencyProof(d, m))).toBe(true);
    }
  });

  it("refuses adversarial inclusion proofs: wrong index or size, swapped or truncated or padded paths, another leaf", () => {
    const d = leaves(13);
    const root = rootFromLeafHashes(d);
    const proof = inclusionProof(d, 5);
    expect(verifyInclusion(d[5]!, 5, 13, proof, root)).toBe(true);
    expect(verifyInclusion(d[5]!, 4, 13, proof, root)).toBe(false);
    // A size whose path has another shape (sizes with the same shape differ in root: the signed checkpoint binds size and root).
    expect(verifyInclusion(d[5]!, 5, 8, proof, root)).toBe(false);
    expect(verifyInclusion(d[5]!, 5, 6, proof, root)).toBe(false);
    expect(verifyInclusion(d[5]!, 13, 13, proof, root)).toBe(false);
    expect(verifyInclusion(d[5]!, -1, 13, proof, root)).toBe(false);
    expect(verifyInclusion(d[6]!, 5, 13, proof, root)).toBe(false);
    expect(verifyInclusion(d[5]!, 5, 13, [proof[1]!, proof[0]!, ...proof.slice(2)], root)).toBe(false);
    expect(verifyInclusion(d[5]!, 5, 13, proof.slice(0, -1), root)).toBe(false);
    expect(verifyInclusion(d[5]!, 5, 13, [...proof, root], root)).toBe(false);
    // A leaf presented as an inner node (the second-preimage trick the 0x00/0x01 prefixes prevent).
    const inner = nodeHash(d[4]!, d[5]!);
    expect(verifyInclusion(inner, 2, 7, inclusionProof(d.slice(0, 7), 4).slice(1), rootFromLeafHashes(d.slice(0, 7)))).toBe(false);
  });

  it("refuses adversarial consistency proofs: rewritten history, wrong sizes, truncated, and an older tree that is bigger", () => {
    const d = leaves(21);
    const root = rootFromLeafHashes(d);
    const old = rootFromLeafHashes(d.slice(0, 8));
    const proof = consistencyProof(d, 8);
    expect(verifyConsistency(8, 21, old, root, proof)).toBe(true);
    const rewritten = [...d.slice(0, 3), leafHash("rewritten"), ...d.slice(4)];
    expect(verifyConsistency(8, 21, old, rootFromLeafHashes(rewritten), consistencyProof(rewritten, 8))).toBe(false);
    expect(verifyConsistency(7, 21, old, root, proof)).toBe(false);
    expect(verifyConsistency(8, 16, old, root, proof)).toBe(false);
    expect(verifyConsistency(8, 21, old, root, proof.slice(0, -1))).toBe(false);
    expect(verifyConsistency(8, 21, old, root, [])).toBe(false);
    expect(verifyConsistency(21, 8, root, old, proof)).toBe(false);
    expect(verifyConsistency(21, 21, root, old, [])).toBe(false);
    // Entries deleted at the tail: the shorter tree is no extension of the checkpointed one.
    const truncated = d.slice(0, 15);
    expect(verifyConsistency(21, 15, root, rootFromLeafHashes(truncated), [])).toBe(false);
  });

  it("any random mutation of a valid proof is refused (property)", () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 64 }), fc.nat(), fc.nat(), fc.nat(255), (n, i0, j0, byte) => {
        const d = leaves(n);
        const i = i0 % n;
        const root = rootFromLeafHashes(d);
        const proof = inclusionProof(d, i);
        if (!proof.length) return;
        const j = j0 % proof.length;
        const flipped = proof.map((p, k) => (k === j ? Buffer.from(p.map((b, x) => (x === byte % 32 ? b ^ 0x01 : b))) : p));
        expect(verifyInclusion(d[i]!, i, n, flipped, root)).toBe(false);
      }),
      { numRuns: 300 },
    );
  });
});
