/**
 * A throwaway Citus cluster on loopback for tests and benchmarks: one coordinator and N workers,
 * each its own PostgreSQL instance (initdb into a temporary directory, shared_preload_libraries =
 * 'citus', trust auth, its own free port). `startCitusCluster()` returns the coordinator's URL,
 * a `prepareDatabase(name)` that makes a database Citus-ready on every node, and `stop()` that
 * stops every instance and removes the directory (also on SIGINT/SIGTERM).
 */
import { execFileSync, spawnSync } from "node:child_process";
import { chownSync, existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";

const pgBin = process.env.PG_BIN ?? "/usr/lib/postgresql/15/bin";

export type CitusCluster = {
  /** postgres://postgres@127.0.0.1:<coordinator port>/postgres */
  coordinatorUrl: string;
  workerPorts: number[];
  /** Creates `name` on every node with the citus extension and registers the workers in it. */
  prepareDatabase: (name: string) => Promise<void>;
  stop: () => void;
};

/** Whether this machine's PostgreSQL has the Citus extension installed (the .so and control file). */
export function citusInstalled(): boolean {
  const pgConfig = path.join(pgBin, "pg_config");
  if (!existsSync(pgConfig)) return false;
  const lib = execFileSync(pgConfig, ["--pkglibdir"], { encoding: "utf8" }).trim();
  const share = execFileSync(pgConfig, ["--sharedir"], { encoding: "utf8" }).trim();
  return existsSync(path.join(lib, "citus.so")) && existsSync(path.join(share, "extension", "citus.control"));
}

export const citusHowToEnable =
  "Citus is not installed in this machine's PostgreSQL. To run this tier: run ../shared/citus/install.sh as root " +
  "(or build Citus 13 for PostgreSQL 15 from citusdata/citus and `make install`), then run it again.";

const runningAsRoot = process.getuid?.() === 0;

/** Runs a PostgreSQL binary as the `postgres` user (PostgreSQL refuses to run as root). */
function pgRun(bin: string, args: string[]): void {
  const command = runningAsRoot ? "runuser" : path.join(pgBin, bin);
  const fullArgs = runningAsRoot ? ["-u", "postgres", "--", path.join(pgBin, bin), ...args] : args;
  const run = spawnSync(command, fullArgs, { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
  if (run.status !== 0) throw new Error(`${bin} ${args.join(" ")} failed (${run.status}): ${run.stderr || run.stdout}`);
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => (typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port"))));
    });
  });
}

async function onNode<T>(port: number, database: string, work: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ host: "127.0.0.1", port, user: "postgres", database });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

function initNode(dir: string, port: number, shardCount: number): void {
  pgRun("initdb", ["-D", dir, "-U", "postgres", "--auth=trust", "--no-sync", "-E", "UTF8", "--locale=C.UTF-8"]);
  const conf = [
    `port = ${port}`,
    "listen_addresses = '127.0.0.1'",
    `unix_socket_directories = '${dir}'`,
    "shared_preload_libraries = 'citus'",
    "fsync = off",
    "synchronous_commit = off",
    "full_page_writes = off",
    "max_connections = 200",
    "shared_buffers = 64MB",
    `citus.shard_count = ${shardCount}`,
    "citus.log_remote_commands = off",
    // Tests simulate a failing write with a trigger on a distributed table.
    "citus.enable_unsafe_triggers = on",
  ];
  writeFileSync(path.join(dir, "postgresql.conf"), `\n${conf.join("\n")}\n`, { flag: "a" });
}

export async function startCitusCluster(options: { workers?: number; shardCount?: number } = {}): Promise<CitusCluster> {
  const workers = options.workers ?? 2;
  const shardCount = options.shardCount ?? Number(process.env.CITUS_SHARD_COUNT ?? 8);
  const root = mkdtempSync(path.join(tmpdir(), "sightline-citus-"));
  if (runningAsRoot)
    chownSync(root, Number(execFileSync("id", ["-u", "postgres"], { encoding: "utf8" })), Number(execFileSync("id", ["-g", "postgres"], { encoding: "utf8" })));
  const ports = await Promise.all(Array.from({ length: workers + 1 }, () => freePort()));
  const dirs = ports.map((_, i) => path.join(root, i === 0 ? "coordinator" : `worker${i}`));
  const started: string[] = [];

  let stopped = false;
  const stop = () => {
    if (stopped) return;
    stopped = true;
    for (const dir of started) {
      try {
        pgRun("pg_ctl", ["-D", dir, "-m", "immediate", "-w", "stop"]);
      } catch {
        // already gone
      }
    }
    rmSync(root, { recursive: true, force: true });
  };
  const onSignal = (signal: NodeJS.Signals) => {
    stop();
    process.kill(process.pid, signal);
  };
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
  process.once("exit", stop);

  try {
    // initdb is the slow part; the nodes are independent, so start them one after another but
    // each right after its own initdb.
    dirs.forEach((dir, i) => {
      initNode(dir, ports[i]!, shardCount);
      pgRun("pg_ctl", ["-D", dir, "-l", path.join(dir, "server.log"), "-w", "-t", "60", "start"]);
      started.push(dir);
    });
  } catch (error) {
    stop();
    throw error;
  }

  const [coordinatorPort, ...workerPorts] = ports as [number, ...number[]];
  const prepareDatabase = (name: string) => prepareCitusDatabase(coordinatorPort, workerPorts, name);
  try {
    await prepareDatabase("postgres");
  } catch (error) {
    stop();
    throw error;
  }

  return { coordinatorUrl: `postgres://postgres@127.0.0.1:${coordinatorPort}/postgres`, workerPorts, prepareDatabase, stop };
}

/**
 * Makes database `name` Citus-ready: creates it on every node (unless it is `postgres`), creates
 * the citus extension in each, and registers the coordinator and the workers in the coordinator's
 * copy (Citus keeps its node list per database).
 */
export async function prepareCitusDatabase(coordinatorPort: number, workerPorts: number[], name: string): Promise<void> {
  await Promise.all(
    [coordinatorPort, ...workerPorts].map(async (port) => {
      if (name !== "postgres") await onNode(port, "postgres", (c) => c.query(`CREATE DATABASE "${name}"`));
      await onNode(port, name, (c) => c.query("CREATE EXTENSION IF NOT EXISTS citus"));
    }),
  );
  await onNode(coordinatorPort, name, async (c) => {
    await c.query("SELECT citus_set_coordinator_host('127.0.0.1', $1)", [coordinatorPort]);
    for (const port of workerPorts) await c.query("SELECT citus_add_node('127.0.0.1', $1)", [port]);
  });
}

/** The env a test process needs to create Citus-ready databases on a running cluster. */
export function citusTestEnv(cluster: CitusCluster): Record<string, string> {
  return {
    TEST_DATABASE_BASE_URL: cluster.coordinatorUrl,
    CITUS_WORKER_PORTS: cluster.workerPorts.join(","),
  };
}
