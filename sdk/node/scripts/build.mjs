// Builds dist/esm (ES modules) and dist/cjs (CommonJS), each with .d.ts, using the TypeScript
// compiler twice. dist/cjs gets a package.json saying "commonjs" so Node loads it as such.
import { execFileSync } from "node:child_process";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const tsc = createRequire(import.meta.url).resolve("typescript/bin/tsc");
rmSync(path.join(root, "dist"), { recursive: true, force: true });
for (const config of ["tsconfig.json", "tsconfig.cjs.json"]) {
  execFileSync(process.execPath, [tsc, "-p", path.join(root, config)], { stdio: "inherit" });
}
mkdirSync(path.join(root, "dist/cjs"), { recursive: true });
writeFileSync(path.join(root, "dist/cjs/package.json"), '{ "type": "commonjs" }\n');
writeFileSync(path.join(root, "dist/esm/package.json"), '{ "type": "module" }\n');
