/**
 * npm run archive:restore -- --project <id> --kind <kind> --from <YYYY-MM-DD> --to <YYYY-MM-DD> [--keep-days 7]
 * Re-imports the archived rows of one project and kind for those UTC days (idempotent: running it
 * twice inserts nothing the second time) and holds them from retention for --keep-days.
 * Exits 2 naming the bad argument; prints a JSON summary otherwise.
 */
import { parseArgs } from "node:util";
import { resolveDatabaseUrlForCli } from "../src/server/db/resolve-url";

resolveDatabaseUrlForCli();
const { restoreArchives, ZRestore } = await import("../src/server/lifecycle/restore");
const { archiveStoreFromEnv } = await import("../src/server/lifecycle/store-from-env");
const { pool } = await import("../src/server/db/pool");

const { values } = parseArgs({
  options: { project: { type: "string" }, kind: { type: "string" }, from: { type: "string" }, to: { type: "string" }, "keep-days": { type: "string" } },
  strict: true,
});
const input = ZRestore.safeParse({ projectId: values.project, kind: values.kind, from: values.from, to: values.to, keepDays: values["keep-days"] });
if (!input.success) {
  for (const issue of input.error.issues) console.error(`${issue.path.join(".") === "projectId" ? "project" : issue.path.join(".")}: ${issue.message}`);
  console.error("usage: npm run archive:restore -- --project <id> --kind <kind> --from <YYYY-MM-DD> --to <YYYY-MM-DD> [--keep-days 7]");
  process.exit(2);
}
try {
  const result = await restoreArchives(pool, archiveStoreFromEnv(), {
    projectId: values.project!,
    kind: values.kind as never,
    from: values.from!,
    to: values.to!,
    keepDays: values["keep-days"] ?? 7,
  });
  console.log(JSON.stringify(result));
} finally {
  await pool.end();
}
