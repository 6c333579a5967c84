import { spawn } from "node:child_process";
import net from "node:net";

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/**
 * A second `next start` of the same build, database and secret as the e2e server, with `env` on
 * top: the portal is stateless, so this is one more instance behind the same data (e.g. one whose
 * operator allows webhooks to private addresses). Cookies are per host, not per port, so a browser
 * signed in on the e2e server is signed in here too.
 *
 * `asNpmStart` starts it the way `npm start` does instead (scripts/start.ts: migrations, the
 * embedded job runner beside `next start`), for tests of what a fresh install does by itself.
 */
export async function startPortalInstance(env: Record<string, string>, options: { asNpmStart?: boolean } = {}) {
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  let output = "";
  const command = options.asNpmStart
    ? [process.execPath, "--import", "tsx", "scripts/start.ts"]
    : ["npx", "next", "start", "-p", String(port), "-H", "127.0.0.1"];
  const child = spawn(command[0]!, command.slice(1), {
    env: { ...process.env, NEXTAUTH_URL: baseUrl, PORT: String(port), HOST: "127.0.0.1", ...env },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  child.stdout.on("data", (c: Buffer) => (output += c.toString()));
  child.stderr.on("data", (c: Buffer) => (output += c.toString()));
  const exited = new Promise<number | null>((resolve) => child.on("exit", resolve));
  const deadline = Date.now() + 120_000;
  for (;;) {
    const up = await fetch(`${baseUrl}/signin`).then(
      (r) => r.ok,
      () => false,
    );
    if (up) break;
    if (child.exitCode !== null || Date.now() > deadline) {
      if (child.pid) process.kill(-child.pid, "SIGTERM");
      throw new Error(`second portal instance did not start:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  return {
    baseUrl,
    /** Everything the instance printed so far (its job runner's log lines included). */
    output: () => output,
    close: async () => {
      if (child.exitCode === null && child.pid) process.kill(-child.pid, "SIGTERM");
      await exited;
    },
  };
}
