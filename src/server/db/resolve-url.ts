import { readFileSync } from "node:fs";
import path from "node:path";

/** Where `npm start` keeps its state: the embedded Postgres, its session secret, and runtime.json. */
export const STATE_DIR = path.join(process.cwd(), ".sightline");
/** Where `npm start` records the embedded Postgres it launched, so CLI scripts reach the same database. */
export const RUNTIME_FILE = path.join(STATE_DIR, "runtime.json");
/** The NEXTAUTH_SECRET `npm start` generates for the embedded setup. */
export const SECRET_FILE_NAME = "nextauth-secret";

type RuntimeInfo = { databaseUrl: string; embedded: boolean; pid: number; portalUrl: string };

const readText = (file: string) => {
  try {
    return readFileSync(file, "utf8");
  } catch {
    return null;
  }
};

export function readRuntimeInfo(stateDir = STATE_DIR): RuntimeInfo | null {
  const text = readText(path.join(stateDir, "runtime.json"));
  return text ? (JSON.parse(text) as RuntimeInfo) : null;
}

/**
 * For command-line scripts (seed, audit:verify, jobs): DATABASE_URL if set, else the database of
 * the running (or last) `npm start`. Sets process.env.DATABASE_URL so server modules imported
 * afterwards (dynamically) see it. With the embedded database it also takes the portal's persisted
 * NEXTAUTH_SECRET when none is set, so jobs sign what the portal verifies (report unsubscribe links).
 */
export function resolveDatabaseUrlForCli(stateDir = STATE_DIR): string {
  /* eslint-disable no-restricted-properties -- CLI bootstrap runs before env.ts may be imported */
  const fromEnv = process.env.DATABASE_URL;
  const runtime = fromEnv ? null : readRuntimeInfo(stateDir);
  const url = fromEnv || runtime?.databaseUrl;
  if (!url) {
    throw new Error("No database: set DATABASE_URL, or start the portal with `npm start` (it starts an embedded Postgres).");
  }
  process.env.DATABASE_URL = url;
  if (runtime?.embedded && !process.env.NEXTAUTH_SECRET) {
    const secret = readText(path.join(stateDir, SECRET_FILE_NAME))?.trim();
    if (secret) process.env.NEXTAUTH_SECRET = secret;
  }
  /* eslint-enable no-restricted-properties */
  return url;
}
