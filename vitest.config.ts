import { defineConfig } from "vitest/config";
import path from "node:path";

// Tests import the SDK from its source, so they never run against a stale build; the package's
// own dist (ESM and CJS) is checked by tests/unit/sdk/package.test.ts.
const alias = {
  // The subpath first: an alias also matches "<key>/…", so "@sightline/node" would swallow it.
  "@sightline/node/audit": path.resolve(import.meta.dirname, "sdk/node/src/audit/index.ts"),
  "@sightline/node": path.resolve(import.meta.dirname, "sdk/node/src/index.ts"),
  "@": path.resolve(import.meta.dirname, "src"),
  // Tests run server modules outside React's server environment: the marker is a no-op here.
  "server-only": path.resolve(import.meta.dirname, "node_modules/next/dist/compiled/server-only/empty.js"),
};

// The integration tests that exercise the distributed tables (ingest, read API, dashboards and
// rollups, alerts, jobs), rerun by `npm run test:citus` against a coordinator and two workers,
// plus the Citus-only checks in tests/citus. Defined only when scripts/test-citus.ts has started a
// cluster (CITUS_WORKER_PORTS), so a plain `vitest run` never picks it up.
const citusInclude = [
  "tests/citus/**/*.test.ts",
  "tests/integration/ingest/*.test.ts",
  "tests/integration/read-api/*.test.ts",
  "tests/integration/home/*.test.ts",
  "tests/integration/metrics.test.ts",
  "tests/integration/llm-metrics.test.ts",
  "tests/integration/logs-search.test.ts",
  "tests/integration/trpc-dashboards.test.ts",
  "tests/integration/rollup-job.test.ts",
  "tests/integration/alerts/scenarios.test.ts",
  "tests/integration/alerts/rule-kinds.test.ts",
  "tests/integration/alerts/project-cascade.test.ts",
  "tests/integration/trpc-project.test.ts",
  "tests/integration/jobs/runner.test.ts",
];
const citusProjects = process.env.CITUS_WORKER_PORTS
  ? [
      {
        resolve: { alias },
        test: {
          name: "citus",
          include: citusInclude,
          // read-api/explain.test.ts checks single-node index plans; tests/citus/ has the cluster's.
          exclude: ["tests/integration/read-api/explain.test.ts"],
          environment: "node",
          globalSetup: ["tests/integration/global-setup.ts"],
          setupFiles: ["tests/integration/setup-env.ts"],
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
    ]
  : [];

export default defineConfig({
  test: {
    projects: [
      {
        resolve: { alias },
        test: { name: "unit", include: ["tests/unit/**/*.test.ts"], environment: "node" },
      },
      {
        resolve: { alias },
        test: {
          name: "integration",
          include: ["tests/integration/**/*.test.ts"],
          environment: "node",
          globalSetup: ["tests/integration/global-setup.ts"],
          setupFiles: ["tests/integration/setup-env.ts"],
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
      ...citusProjects,
    ],
  },
});
