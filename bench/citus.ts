/**
 * `--citus` for the benchmarks: runs the same benchmark twice on this machine, in one go — first
 * on the single Postgres, then on a throwaway Citus cluster on loopback (a coordinator and two
 * workers, scripts/lib/citus-cluster.ts) — streaming both outputs, and hands both back so the
 * caller prints its comparison line. Each run is the benchmark script itself in a child process
 * without `--citus`; on the cluster its test databases are created Citus-ready and distributed.
 */
import { spawn } from "node:child_process";
import { citusHowToEnable, citusInstalled, citusTestEnv, startCitusCluster } from "../scripts/lib/citus-cluster";

function runChild(script: string, args: string[], env: Record<string, string>): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", script, ...args], { env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "inherit"] });
    let out = "";
    child.stdout.on("data", (chunk: Buffer) => {
      out += chunk.toString();
      process.stdout.write(chunk);
    });
    child.on("error", reject);
    child.on("exit", (code) => (code === 0 ? resolve(out) : reject(new Error(`${script} exited with ${code}`))));
  });
}

export async function compareOnCitus(script: string): Promise<{ single: string; citus: string }> {
  if (!citusInstalled()) {
    console.error(citusHowToEnable);
    process.exit(1);
  }
  const args = process.argv.slice(2).filter((a) => a !== "--citus");
  console.log("━━ single Postgres");
  const single = await runChild(script, args, {});
  console.log("\n━━ Citus: coordinator + 2 workers on loopback");
  const cluster = await startCitusCluster({ workers: 2, shardCount: Number(process.env.CITUS_SHARD_COUNT ?? 32) });
  try {
    const citus = await runChild(script, args, { ...citusTestEnv(cluster), DATABASE_URL: cluster.coordinatorUrl });
    return { single, citus };
  } finally {
    cluster.stop();
  }
}

/** The first number captured by `pattern` in a benchmark's output. */
export function figure(output: string, pattern: RegExp): number {
  const match = pattern.exec(output);
  if (!match?.[1]) throw new Error(`benchmark output lacks ${pattern}`);
  return Number(match[1]);
}
