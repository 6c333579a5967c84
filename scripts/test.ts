/**
 * `npm test`: every tier in turn — lint (Biome, import boundaries, capability cycles, file length),
 * unit, integration (real Postgres, a throwaway database), end-to-end (Playwright against the
 * production build in Debian's Chromium), Citus (the distributed-table tests on a loopback
 * coordinator + two workers; skipped with a message when Citus is not installed). Runs them all,
 * then exits non-zero if any failed, ending with one line of totals.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import path from "node:path";

const reportDir = path.join(process.cwd(), "test-results");
mkdirSync(reportDir, { recursive: true });

type Tier = { name: string; command: string[]; report?: string; env?: Record<string, string> };
const tiers: Tier[] = [
  { name: "lint", command: ["npm", "run", "lint"] },
  {
    name: "unit + integration",
    command: ["npx", "vitest", "run", "--reporter=default", "--reporter=json", `--outputFile.json=${path.join(reportDir, "vitest.json")}`],
    report: path.join(reportDir, "vitest.json"),
  },
  {
    name: "citus",
    command: ["npm", "run", "test:citus", "--", "--reporter=default", "--reporter=json", `--outputFile.json=${path.join(reportDir, "citus-vitest.json")}`],
    report: path.join(reportDir, "citus-vitest.json"),
  },
  {
    name: "end-to-end",
    command: ["npm", "run", "test:e2e"],
    report: path.join(reportDir, "playwright.json"),
    env: { PLAYWRIGHT_JSON_OUTPUT_NAME: path.join(reportDir, "playwright.json") },
  },
];

type Counts = { passed: number; failed: number; skipped: number };

function countVitest(file: string): Counts {
  const r = JSON.parse(readFileSync(file, "utf8")) as { numPassedTests: number; numFailedTests: number; numPendingTests: number; numTodoTests: number };
  return { passed: r.numPassedTests, failed: r.numFailedTests, skipped: r.numPendingTests + r.numTodoTests };
}

function countPlaywright(file: string): Counts {
  const r = JSON.parse(readFileSync(file, "utf8")) as { stats: { expected: number; unexpected: number; flaky: number; skipped: number } };
  return { passed: r.stats.expected + r.stats.flaky, failed: r.stats.unexpected, skipped: r.stats.skipped };
}

const total: Counts = { passed: 0, failed: 0, skipped: 0 };
const failedTiers: string[] = [];
for (const tier of tiers) {
  console.log(`\n━━ ${tier.name}: ${tier.command.join(" ")}`);
  if (tier.report) rmSync(tier.report, { force: true });
  const run = spawnSync(tier.command[0]!, tier.command.slice(1), { stdio: "inherit", env: { ...process.env, ...tier.env } });
  let counts: Counts | null = null;
  if (tier.report && existsSync(tier.report)) {
    try {
      counts = tier.report.endsWith("vitest.json") ? countVitest(tier.report) : countPlaywright(tier.report);
    } catch {
      counts = null;
    }
  }
  if (counts) {
    total.passed += counts.passed;
    total.failed += counts.failed;
    total.skipped += counts.skipped;
  }
  if (run.status !== 0) failedTiers.push(tier.name);
  console.log(`━━ ${tier.name}: ${run.status === 0 ? "passed" : `FAILED (exit ${run.status})`}`);
}

if (failedTiers.length) console.log(`\nFailed tiers: ${failedTiers.join(", ")}`);
if (failedTiers.length && total.failed === 0) total.failed = failedTiers.length;
console.log(`\ntests: ${total.passed} passed, ${total.failed} failed, ${total.skipped} skipped`);
process.exit(failedTiers.length ? 1 : 0);
