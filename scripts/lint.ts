/**
 * `npm run lint` (and the first tier of `npm test`): Biome's linter and formatter check, the import boundaries in
 * .dependency-cruiser.cjs (no module cycles, no upward imports), no cycles between capabilities
 * (src/server/<capability>/ folders, type-only imports included: two capabilities that import each
 * other are one), no source file over 400 lines, and `import "server-only"` in the server entry
 * points. Exits non-zero naming every violation.
 */
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";

const MAX_LINES = 400;
const failures: string[] = [];

function run(name: string, command: string, args: string[]): string {
  const r = spawnSync(command, args, { encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
  if (r.status !== 0) {
    process.stdout.write(r.stdout);
    process.stderr.write(r.stderr);
    failures.push(name);
  }
  return r.stdout;
}

// Lint and format in one pass: a file the formatter would change fails like a lint error (`npm run format` fixes it).
run("biome check (lint and format)", "npx", ["biome", "check", "--max-diagnostics=200", "."]);

type Cruise = { modules: Array<{ source: string; dependencies: Array<{ resolved: string; couldNotResolve: boolean }> }>; summary: { violations: unknown[] } };
const cruised = spawnSync("npx", ["depcruise", "src", "bench", "scripts", "tests", "--output-type", "json"], {
  encoding: "utf8",
  maxBuffer: 256 * 1024 * 1024,
});
const result = JSON.parse(cruised.stdout) as Cruise;
if (cruised.status !== 0 || result.summary.violations.length) {
  run("dependency rules", "npx", ["depcruise", "src", "bench", "scripts", "tests", "--output-type", "err"]);
  if (!failures.includes("dependency rules")) failures.push("dependency rules");
}

// Capabilities: src/server/<folder>/… is one node; a top-level file (log.ts, env.ts…) is its own.
const capabilityOf = (file: string) => file.match(/^src\/server\/([^/]+)/)?.[1]?.replace(/\.tsx?$/, "") ?? null;
const edges = new Map<string, Set<string>>();
for (const m of result.modules) {
  const from = capabilityOf(m.source);
  if (!from) continue;
  for (const d of m.dependencies) {
    const to = capabilityOf(d.resolved);
    if (to && to !== from) edges.set(from, (edges.get(from) ?? new Set()).add(to));
  }
}
// Tarjan's strongly connected components: any component with two or more capabilities is a cycle.
let index = 0;
const order = new Map<string, number>();
const low = new Map<string, number>();
const stack: string[] = [];
const onStack = new Set<string>();
const cycles: string[][] = [];
function connect(v: string) {
  order.set(v, index);
  low.set(v, index++);
  stack.push(v);
  onStack.add(v);
  for (const w of edges.get(v) ?? []) {
    if (!order.has(w)) {
      connect(w);
      low.set(v, Math.min(low.get(v)!, low.get(w)!));
    } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, order.get(w)!));
  }
  if (low.get(v) === order.get(v)) {
    const component: string[] = [];
    let w: string;
    do {
      w = stack.pop()!;
      onStack.delete(w);
      component.push(w);
    } while (w !== v);
    if (component.length > 1) cycles.push(component.sort());
  }
}
for (const v of edges.keys()) if (!order.has(v)) connect(v);
for (const c of cycles) {
  const pairs = c.flatMap((a) => c.filter((b) => edges.get(a)?.has(b)).map((b) => `${a} → ${b}`));
  console.log(`capability cycle: ${c.join(", ")} (${pairs.join("; ")})`);
}
if (cycles.length) failures.push("capability cycles");

const tracked = spawnSync("git", ["ls-files", "-co", "--exclude-standard", "src", "tests", "scripts", "bench"], { encoding: "utf8" }).stdout.split("\n");
for (const file of tracked.filter((f) => /\.(ts|tsx)$/.test(f) && !f.startsWith("src/generated/"))) {
  const lines = readFileSync(file, "utf8").split("\n").length - 1;
  if (lines > MAX_LINES) {
    console.log(`${file}: ${lines} lines (at most ${MAX_LINES}: split it by what its parts do)`);
    if (!failures.includes("file length")) failures.push("file length");
  }
}

// Server entry points: a browser bundle that reaches one fails `next build` instead of shipping it.
const SERVER_ONLY = ["src/server/db/pool.ts", "src/server/db/prisma.ts", "src/server/env.ts", "src/server/auth/options.ts"];
for (const file of SERVER_ONLY.filter((f) => !/^import "server-only";$/m.test(readFileSync(f, "utf8")))) {
  console.log(`${file}: must import "server-only"`);
  if (!failures.includes("server-only")) failures.push("server-only");
}

console.log(
  failures.length
    ? `lint: FAILED (${failures.join(", ")})`
    : "lint: passed (biome, dependency rules, capability cycles, file length, server-only entry points)",
);
process.exit(failures.length ? 1 : 0);
