import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

const pkgDir = path.resolve("sdk/node");
const pkg = JSON.parse(readFileSync(path.join(pkgDir, "package.json"), "utf8")) as { name: string; exports: Record<string, any> };

/** The names the issue asks `@sightline/node` to export, in both module systems. */
const PUBLIC_API = [
  "init",
  "logger",
  "flush",
  "shutdown",
  "captureException",
  "wrapOpenAI",
  "wrapAnthropic",
  "expressMiddleware",
  "fastifyPlugin",
  "withSightline",
  "fileSink",
  "onRequestError",
];

describe("@sightline/node as installed (the built package)", () => {
  it("is built by the root install into ESM and CommonJS with types", () => {
    expect(pkg.name).toBe("@sightline/node");
    for (const file of [pkg.exports["."].import.default, pkg.exports["."].import.types, pkg.exports["."].require.default, pkg.exports["."].require.types]) {
      expect(existsSync(path.join(pkgDir, file)), `${file} (run npm ci or npm run build:sdk)`).toBe(true);
    }
  });

  it("loads by package name with require() and import, exporting the same public API", () => {
    const script = `
      const cjs = require("@sightline/node");
      import("@sightline/node").then((esm) => {
        const names = ${JSON.stringify(PUBLIC_API)};
        const missing = names.filter((n) => typeof cjs[n] === "undefined" || typeof esm[n] === "undefined");
        console.log(JSON.stringify({ missing, cjs: Object.keys(cjs).sort(), esm: Object.keys(esm).filter((k) => k !== "default").sort() }));
      });`;
    const out = JSON.parse(execFileSync(process.execPath, ["-e", script], { cwd: path.resolve("."), encoding: "utf8" })) as {
      missing: string[];
      cjs: string[];
      esm: string[];
    };
    expect(out.missing).toEqual([]);
    expect(out.esm).toEqual(out.cjs);
  });

  it("exposes the offline audit verifiers at @sightline/node/audit in both module systems", () => {
    const script = `
      const cjs = require("@sightline/node/audit");
      import("@sightline/node/audit").then((esm) => {
        const names = ["verifyInclusion", "verifyConsistency", "verifyCheckpoint", "parseVerifierKey", "leafHash"];
        console.log(JSON.stringify(names.filter((n) => typeof cjs[n] !== "function" || typeof esm[n] !== "function")));
      });`;
    expect(JSON.parse(execFileSync(process.execPath, ["-e", script], { cwd: path.resolve("."), encoding: "utf8" }))).toEqual([]);
  });
});
