/**
 * Signed checkpoints of an audit log in the C2SP checkpoint / signed-note text format:
 *
 *   <origin>\n<tree size>\n<base64 root hash>\n\n— <key name> <base64(key hint ‖ Ed25519 signature)>\n
 *
 * The signature covers the note text (the three lines and their newlines); the key hint is the
 * first four bytes of SHA-256(key name ‖ "\n" ‖ 0x01 ‖ public key), 0x01 naming Ed25519. The
 * portal shows its verifier key as `<name>+<hex hint>+<base64(0x01 ‖ public key)>`.
 */
import { createHash, createPublicKey, verify } from "node:crypto";

export type Checkpoint = { origin: string; size: number; root: Buffer };
export type VerifierKey = { keyName: string; publicKey: Buffer };
export type CheckpointCheck = { ok: true; checkpoint: Checkpoint } | { ok: false; reason: string };

const ED25519 = 0x01;
const SPKI_ED25519_PREFIX = Buffer.from("302a300506032b6570032100", "hex");
const publicKeyObject = (raw: Buffer) => createPublicKey({ key: Buffer.concat([SPKI_ED25519_PREFIX, raw]), format: "der", type: "spki" });

export function keyHint(keyName: string, publicKey: Buffer): Buffer {
  return createHash("sha256").update(keyName).update("\n").update(Buffer.from([ED25519])).update(publicKey).digest().subarray(0, 4);
}

/** Parses `<name>+<hex hint>+<base64(0x01 ‖ public key)>`, checking the hint against the key. */
export function parseVerifierKey(text: string): VerifierKey {
  // The name holds no "+"; the base64 key may, so only the first two split.
  const match = /^([^+\s]+)\+([0-9a-f]{8})\+([A-Za-z0-9+\/]+=*)$/.exec(text.trim());
  const [, keyName, hintHex, keyB64] = match ?? [];
  const raw = Buffer.from(keyB64 ?? "", "base64");
  if (!keyName || !hintHex || raw.length !== 33 || raw[0] !== ED25519) throw new Error("a verifier key reads <name>+<hex hint>+<base64 Ed25519 key>");
  const publicKey = raw.subarray(1);
  if (keyHint(keyName, publicKey).toString("hex") !== hintHex) throw new Error("the verifier key's hint does not match its name and key");
  return { keyName, publicKey };
}

/** Parses a signed checkpoint and checks its signature by `key` (a verifier key string or its parts). */
export function verifyCheckpoint(note: string, key: VerifierKey | string): CheckpointCheck {
  const { keyName, publicKey } = typeof key === "string" ? parseVerifierKey(key) : key;
  const split = note.indexOf("\n\n");
  if (split < 0) return { ok: false, reason: "not a signed note: no blank line before the signatures" };
  const text = note.slice(0, split + 1);
  const lines = text.split("\n");
  if (lines.length < 4 || !lines[0]) return { ok: false, reason: "a checkpoint has an origin, a tree size and a root hash" };
  const [origin, sizeText, rootText] = lines as [string, string, string];
  if (!/^(0|[1-9]\d{0,15})$/.test(sizeText)) return { ok: false, reason: `tree size "${sizeText}" is not a decimal number` };
  const root = Buffer.from(rootText, "base64");
  if (root.length !== 32 || root.toString("base64") !== rootText) return { ok: false, reason: "the root hash is not 32 bytes of base64" };
  const hint = keyHint(keyName, publicKey);
  const prefix = `— ${keyName} `;
  for (const line of note.slice(split + 2).split("\n")) {
    if (!line.startsWith(prefix)) continue;
    const blob = Buffer.from(line.slice(prefix.length), "base64");
    if (blob.length !== 4 + 64 || !blob.subarray(0, 4).equals(hint)) continue;
    if (verify(null, Buffer.from(text), publicKeyObject(publicKey), blob.subarray(4))) return { ok: true, checkpoint: { origin, size: Number(sizeText), root } };
    return { ok: false, reason: `the signature by ${keyName} does not verify` };
  }
  return { ok: false, reason: `no signature by ${keyName}` };
}
