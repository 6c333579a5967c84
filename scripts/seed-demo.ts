/**
 * npm run seed:demo [-- --json]
 * Creates (idempotently) the demo user, organisation, project and keys in the database that
 * `npm start` uses (DATABASE_URL, else the running embedded one). `--json` prints exactly one
 * JSON object on stdout: {email, password, orgSlug, projectId, ingestKey, readKey}.
 * `--traffic 7d` then sends that window of sample traffic through the running portal's ingest API.
 */
import { parseArgs } from "node:util";
import { resolveDatabaseUrlForCli } from "../src/server/db/resolve-url";
import { migrate } from "../src/server/db/migrate";

const { values: args } = parseArgs({
  options: { json: { type: "boolean", default: false }, traffic: { type: "string" } },
  strict: true,
});

const say = (message: string) => process.stderr.write(`${message}\n`);

const url = resolveDatabaseUrlForCli();
// The server modules validate their environment on import. This CLI signs no sessions, and its
// stdout must carry only the JSON in --json mode (the portal logger writes to stdout).
process.env.NEXTAUTH_SECRET ??= `seed-demo-cli-${"x".repeat(32)}`;
if (args.json) process.env.LOG_LEVEL = "silent";

try {
  const { applied } = await migrate(url);
  if (applied.length) say(`• applied migrations: ${applied.join(", ")}`);
  const { seedDemo } = await import("./demo/seed");
  const seed = await seedDemo();
  if (args.traffic) {
    // A window of sample traffic through the running portal's real ingest endpoint (npm start).
    const { sendDemoTraffic, ZTrafficWindow } = await import("./demo/traffic");
    const { callerAs, resolveRegressionWhenFixed } = await import("./demo/triage");
    const { DEMO } = await import("./demo/seed");
    const { prisma } = await import("../src/server/db/prisma");
    const { readRuntimeInfo } = await import("../src/server/db/resolve-url");
    const windowMs = ZTrafficWindow.parse(args.traffic);
    const baseUrl = readRuntimeInfo()?.portalUrl ?? "http://localhost:3000";
    // When 1.3.0 (the fix) ships, the demo user resolves PaymentError as they would in the UI; its
    // return in 1.4.0 then regresses the group.
    const user = await prisma.user.findUniqueOrThrow({ where: { email: DEMO.email }, select: { id: true, email: true, name: true } });
    const onRelease = resolveRegressionWhenFixed(callerAs(user), { orgSlug: seed.orgSlug, projectSlug: DEMO.projectSlug });
    const sent = await sendDemoTraffic({
      baseUrl,
      ingestKey: seed.ingestKey,
      windowMs,
      onRelease,
      onProgress: (r) => r.batches % 10 === 0 && say(`• sent ${r.sent} events`),
    });
    say(`• traffic ${args.traffic}: ${sent.accepted} events accepted, ${sent.rejected} rejected, via ${baseUrl}`);
  }
  if (args.json) {
    process.stdout.write(`${JSON.stringify(seed)}\n`);
  } else {
    say("Demo data ready:");
    say(`  sign in     ${seed.email} / ${seed.password}`);
    say(`  org         ${seed.orgSlug}   project id ${seed.projectId}`);
    say(`  ingest key  ${seed.ingestKey}`);
    say(`  read key    ${seed.readKey}`);
  }
  const { pool } = await import("../src/server/db/pool");
  await pool.end();
} catch (error) {
  say(`seed:demo failed: ${(error as Error).message}`);
  process.exit(1);
}
