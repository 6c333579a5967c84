/**
 * `npm run test:citus`: starts a Citus cluster on loopback (a coordinator and two workers, see
 * scripts/lib/citus-cluster.ts), runs the vitest project "citus" against it (the ingest, read
 * API, dashboard, rollup, alert and job integration tests plus tests/citus), then stops and
 * removes the cluster. Without Citus installed it says how to enable it and exits 0 (skipped).
 * Extra arguments go to vitest (e.g. a file filter).
 */
import { spawnSync } from "node:child_process";
import { citusHowToEnable, citusInstalled, citusTestEnv, startCitusCluster } from "./lib/citus-cluster";

if (!citusInstalled()) {
  console.log(`citus tier skipped: ${citusHowToEnable}`);
  process.exit(0);
}

const started = Date.now();
const cluster = await startCitusCluster({ workers: 2 });
console.log(
  `citus cluster up in ${((Date.now() - started) / 1000).toFixed(1)}s: coordinator ${cluster.coordinatorUrl}, workers on ${cluster.workerPorts.join(", ")}`,
);
let status = 1;
try {
  const run = spawnSync("npx", ["vitest", "run", "--project", "citus", ...process.argv.slice(2)], {
    stdio: "inherit",
    env: { ...process.env, ...citusTestEnv(cluster), DATABASE_URL: cluster.coordinatorUrl },
  });
  status = run.status ?? 1;
} finally {
  cluster.stop();
}
process.exit(status);
