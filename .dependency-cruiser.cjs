/**
 * Import boundaries, checked by `npm run lint` (and so by `npm test` and CI).
 * The layout is the data flow: app (pages, route handlers) → server/api (tRPC, thin) →
 * server/<capability> → server/db. These rules keep the arrows pointing one way.
 * @type {import('dependency-cruiser').IConfiguration}
 */
module.exports = {
  forbidden: [
    {
      name: "no-circular",
      severity: "error",
      comment: "No import cycles, type-only imports included: a cycle means two modules are one.",
      from: {},
      to: { circular: true },
    },
    {
      name: "server-not-to-app",
      severity: "error",
      comment: "Server code never reaches up into pages, route handlers, components or the tRPC layer.",
      from: { path: "^src/server/", pathNot: "^src/server/api/" },
      to: { path: "^src/(app|components)/|^src/server/api/" },
    },
    {
      name: "domain-takes-its-db",
      severity: "error",
      comment:
        "A function that runs SQL takes its `db` handle, so a job, a test or a transaction can pass its own: " +
        "the pool singletons are chosen at the edges only — route handlers (src/app), the tRPC routers " +
        "(src/server/api), the job registry and its Inngest wiring (jobs/registry.ts, jobs/client.ts), scripts and benchmarks.",
      from: { path: "^src/server/", pathNot: "^src/server/(db|api)/|^src/server/jobs/(registry|client)\\.ts$" },
      to: { path: "^src/server/db/pool\\.ts$" },
    },
    {
      name: "api-not-to-app",
      severity: "error",
      from: { path: "^src/server/api/" },
      to: { path: "^src/(app|components)/" },
    },
    {
      name: "components-only-types-from-server",
      severity: "error",
      comment:
        "Components run in the browser: they import server code only as types, or from the small allowed list " +
        "(shared vocabulary, permissions, pure formatting helpers).",
      from: { path: "^src/components/" },
      to: {
        path: "^src/server/",
        pathNot: "^src/server/(vocabulary|auth/permissions|alerts/schemas)\\.ts$",
        dependencyTypesNot: ["type-only"],
      },
    },
    {
      name: "runtime-not-to-tests",
      severity: "error",
      comment: "Application code and scripts never import test code; shared database helpers live in tooling/.",
      from: { path: "^(src|scripts|bench)/" },
      to: { path: "^tests/" },
    },
    {
      name: "no-app-from-tooling",
      severity: "error",
      comment: "Benchmarks and scripts call server functions, not pages or route handlers.",
      from: { path: "^(bench|scripts)/" },
      to: { path: "^src/app/" },
    },
    {
      name: "not-to-unresolvable",
      severity: "error",
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    exclude: { path: "^src/generated/" },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    enhancedResolveOptions: {
      exportsFields: ["exports"],
      conditionNames: ["import", "require", "node", "default", "types"],
      mainFields: ["module", "main", "types", "typings"],
    },
    skipAnalysisNotInRules: true,
  },
};
