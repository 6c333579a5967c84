/**
 * Signed checkpoints of an audit chain's Merkle tree in the C2SP checkpoint / signed-note text
 * format, so any tool that reads transparency-log checkpoints reads ours:
 *
 *   <origin>\n<tree size>\n<base64 root hash>\n\n— <key name> <base64(key hint ‖ Ed25519 signature)>\n
 *
 * The signature covers the note text (the three lines and their newlines); the key hint is the
 * first four bytes of SHA-256(key name ‖ "\n" ‖ 0x01 ‖ public key), 0x01 naming Ed25519.
 * Pure: signing takes the key; verifying (in the SDK) takes the public key.
 */
import { createPrivateKey, createPublicKey, sign, type KeyObject } from "node:crypto";
import { keyHint, verifyCheckpoint, type Checkpoint, type CheckpointCheck } from "@sightline/node/audit";

// Parsing and verifying live in the SDK (customers verify offline with the same code).
export { keyHint, verifyCheckpoint, type Checkpoint, type CheckpointCheck };

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
