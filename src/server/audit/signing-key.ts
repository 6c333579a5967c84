/**
 * The instance's audit signing key: AUDIT_SIGNING_KEY (base64 of a 32-byte Ed25519 seed), or one
 * generated once into .sightline/audit-signing-key for the embedded default. Its name, which every
 * checkpoint's signature line carries, is `<portal host>/audit`.
 */
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { STATE_DIR } from "../db/resolve-url";
import { env } from "../env";
import { signingKeyFromSeed } from "./checkpoint";

const KEY_FILE = "audit-signing-key";

export type AuditSigningKey = ReturnType<typeof signingKeyFromSeed> & { keyName: string };

function seed(stateDir: string): Buffer {
  if (env.AUDIT_SIGNING_KEY) return Buffer.from(env.AUDIT_SIGNING_KEY, "base64");
  const file = path.join(stateDir, KEY_FILE);
  if (!existsSync(file)) {
    mkdirSync(stateDir, { recursive: true });
    writeFileSync(file, randomBytes(32).toString("base64"), { mode: 0o600, flag: "wx" });
  }
  return Buffer.from(readFileSync(file, "utf8").trim(), "base64");
}

function auditKeyName(): string {
  return `${env.NEXTAUTH_URL ? new URL(env.NEXTAUTH_URL).host : "sightline.local"}/audit`;
}

export function auditSigningKey(stateDir = STATE_DIR): AuditSigningKey {
  return { keyName: auditKeyName(), ...signingKeyFromSeed(seed(stateDir)) };
}
