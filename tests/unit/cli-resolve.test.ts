import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { resolveDatabaseUrlForCli, SECRET_FILE_NAME } from "@/server/db/resolve-url";

/* eslint-disable no-restricted-properties -- the function under test reads and sets these */
const saved = { url: process.env.DATABASE_URL, secret: process.env.NEXTAUTH_SECRET };
afterEach(() => {
  process.env.DATABASE_URL = saved.url;
  process.env.NEXTAUTH_SECRET = saved.secret;
  if (saved.url === undefined) delete process.env.DATABASE_URL;
  if (saved.secret === undefined) delete process.env.NEXTAUTH_SECRET;
});

function stateDir(runtime: object | null, secret: string | null) {
  const dir = mkdtempSync(path.join(tmpdir(), "sightline-state-"));
  if (runtime) writeFileSync(path.join(dir, "runtime.json"), JSON.stringify(runtime));
  if (secret) writeFileSync(path.join(dir, SECRET_FILE_NAME), `${secret}\n`);
  return dir;
}

const embedded = { databaseUrl: "postgres://postgres@127.0.0.1:54329/postgres", embedded: true, pid: 1, portalUrl: "http://localhost:3000" };

describe("resolveDatabaseUrlForCli", () => {
  it("takes the running portal's embedded database and its persisted session secret", () => {
    delete process.env.DATABASE_URL;
    delete process.env.NEXTAUTH_SECRET;
    expect(resolveDatabaseUrlForCli(stateDir(embedded, "persisted-secret"))).toBe(embedded.databaseUrl);
    expect(process.env.DATABASE_URL).toBe(embedded.databaseUrl);
    expect(process.env.NEXTAUTH_SECRET).toBe("persisted-secret");
  });

  it("keeps DATABASE_URL and NEXTAUTH_SECRET from the environment", () => {
    process.env.DATABASE_URL = "postgres://db.example/app";
    process.env.NEXTAUTH_SECRET = "from-env";
    expect(resolveDatabaseUrlForCli(stateDir(embedded, "persisted-secret"))).toBe("postgres://db.example/app");
    expect(process.env.NEXTAUTH_SECRET).toBe("from-env");
  });

  it("says how to get a database when there is none", () => {
    delete process.env.DATABASE_URL;
    expect(() => resolveDatabaseUrlForCli(stateDir(null, null))).toThrow(/set DATABASE_URL, or start the portal with `npm start`/);
  });
});
