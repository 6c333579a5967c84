import { defineConfig } from "vitest/config";
import path from "node:path";

// Tests import the SDK from its source, so they never run against a stale build; the package's
// own dist (ESM and CJS) is checked by tests/unit/sdk/package.test.ts.
const alias = {
  // The subpath first: an alias also matches "<key>/…", so "@sightline/node" would swallow it.
  "@sightline/node/audit": path.resolve(import.meta.dirname, "sdk/node/src/audit/index.ts"),
  "@sightline/node": path.resolve(import.meta.dirname, "sdk/node/src/index.ts"),
  "@": path.resolve(import.meta.dirname, "src"),
};

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
    ],
  },
});
