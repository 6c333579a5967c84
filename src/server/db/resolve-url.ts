import { readFileSync } from "node:fs";
import path from "node:path";

/** Where `npm start` records the embedded Postgres it launched, so CLI scripts reach the same database. */
export const RUNTIME_FILE = path.join(process.cwd(), ".sightline", "runtime.json");

export type RuntimeInfo = { databaseUrl: string; embedded: boolean; pid: number; portalUrl: string };

export function readRuntimeInfo(): RuntimeInfo | null {
  try {
    return JSON.parse(readFileSync(RUNTIME_FILE, "utf8")) as RuntimeInfo;
  } catch {
    return null;
  }
}

/**
 * For command-line scripts (seed, audit:verify, jobs): DATABASE_URL if set, else the database of
 * the running (or last) `npm start`. Sets process.env.DATABASE_URL so server modules imported
 * afterwards (dynamically) see it.
 */
export function resolveDatabaseUrlForCli(): string {
  // eslint-disable-next-line no-restricted-properties -- CLI bootstrap runs before env.ts may be imported
  const fromEnv = process.env.DATABASE_URL;
  const url = fromEnv || readRuntimeInfo()?.databaseUrl;
  if (!url) {
    throw new Error("No database: set DATABASE_URL, or start the portal with `npm start` (it starts an embedded Postgres).");
  }
  process.env.DATABASE_URL = url;
  return url;
}
