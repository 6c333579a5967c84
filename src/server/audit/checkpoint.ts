/**
 * Signed checkpoints of an audit chain's Merkle tree in the C2SP checkpoint / signed-note text
 * format, so any tool that reads transparency-log checkpoints reads ours:
 *
 *   <origin>\n<tree size>\n<base64 root hash>\n\n— <key name> <base64(key hint ‖ Ed25519 signature)>\n
 *
 * The signature covers the note text (the three lines and their newlines); the key hint is the
 * first four bytes of SHA-256(key name ‖ "\n" ‖ 0x01 ‖ public key), 0x01 naming Ed25519.
 * Pure: signing takes the key, verifying takes the public key.
 */
import { createHash, createPrivateKey, createPublicKey, sign, verify, type KeyObject } from "node:crypto";

export type Checkpoint = { origin: string; size: number; root: Buffer };
export type SignedCheckpoint = Checkpoint & { note: string };

const ED25519 = 0x01;
const PKCS8_ED25519_PREFIX = Buffer.from("302e020100300506032b657004220420", "hex");
const SPKI_ED25519_PREFIX = Buffer.from("302a300506032b6570032100", "hex");

/** An Ed25519 key from its 32-byte seed (what AUDIT_SIGNING_KEY holds, base64). */
export function signingKeyFromSeed(seed: Buffer): { privateKey: KeyObject; publicKey: Buffer } {
  if (seed.length !== 32) throw new Error("AUDIT_SIGNING_KEY must be 32 bytes, base64-encoded (openssl rand -base64 32)");
  const privateKey = createPrivateKey({ key: Buffer.concat([PKCS8_ED25519_PREFIX, seed]), format: "der", type: "pkcs8" });
  const spki = createPublicKey(privateKey).export({ format: "der", type: "spki" });
  return { privateKey, publicKey: Buffer.from(spki.subarray(SPKI_ED25519_PREFIX.length)) };
}

const publicKeyObject = (raw: Buffer) => createPublicKey({ key: Buffer.concat([SPKI_ED25519_PREFIX, raw]), format: "der", type: "spki" });

export function keyHint(keyName: string, publicKey: Buffer): Buffer {
  return createHash("sha256").update(keyName).update("\n").update(Buffer.from([ED25519])).update(publicKey).digest().subarray(0, 4);
}

/** The verifier key string tools such as `note` take: `<name>+<hex hint>+<base64(0x01 ‖ public key)>`. */
export function verifierKey(keyName: string, publicKey: Buffer): string {
  return `${keyName}+${keyHint(keyName, publicKey).toString("hex")}+${Buffer.concat([Buffer.from([ED25519]), publicKey]).toString("base64")}`;
}

const noteText = (c: Checkpoint) => `${c.origin}\n${c.size}\n${c.root.toString("base64")}\n`;

export function signCheckpoint(c: Checkpoint, key: { keyName: string; privateKey: KeyObject; publicKey: Buffer }): SignedCheckpoint {
  const text = noteText(c);
  const signature = sign(null, Buffer.from(text), key.privateKey);
  const line = `— ${key.keyName} ${Buffer.concat([keyHint(key.keyName, key.publicKey), signature]).toString("base64")}\n`;
  return { ...c, note: `${text}\n${line}` };
}

export type CheckpointCheck = { ok: true; checkpoint: Checkpoint } | { ok: false; reason: string };

/** Parses a signed checkpoint and checks its signature by `keyName`'s `publicKey`. */
export function verifyCheckpoint(note: string, key: { keyName: string; publicKey: Buffer }): CheckpointCheck {
  const split = note.indexOf("\n\n");
  if (split < 0) return { ok: false, reason: "not a signed note: no blank line before the signatures" };
  const text = note.slice(0, split + 1);
  const lines = text.split("\n");
  if (lines.length < 4 || !lines[0]) return { ok: false, reason: "a checkpoint has an origin, a tree size and a root hash" };
  const [origin, sizeText, rootText] = lines as [string, string, string];
  if (!/^(0|[1-9]\d{0,15})$/.test(sizeText)) return { ok: false, reason: `tree size "${sizeText}" is not a decimal number` };
  const root = Buffer.from(rootText, "base64");
  if (root.length !== 32 || root.toString("base64") !== rootText) return { ok: false, reason: "the root hash is not 32 bytes of base64" };
  const hint = keyHint(key.keyName, key.publicKey);
  const prefix = `— ${key.keyName} `;
  for (const line of note.slice(split + 2).split("\n")) {
    if (!line.startsWith(prefix)) continue;
    const blob = Buffer.from(line.slice(prefix.length), "base64");
    if (blob.length !== 4 + 64 || !blob.subarray(0, 4).equals(hint)) continue;
    if (verify(null, Buffer.from(text), publicKeyObject(key.publicKey), blob.subarray(4))) return { ok: true, checkpoint: { origin, size: Number(sizeText), root } };
    return { ok: false, reason: `the signature by ${key.keyName} does not verify` };
  }
  return { ok: false, reason: `no signature by ${key.keyName}` };
}
