import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { audit, flush, logger, shutdown, transportStats } from "@sightline/node";
import { initSdk, rows, startPortal } from "./harness";

let portal: Awaited<ReturnType<typeof startPortal>>;

beforeAll(async () => {
  portal = await startPortal();
});
afterAll(async () => {
  await shutdown();
  await portal.close();
});

/**
 * A proxy in front of the portal that misbehaves on chosen requests: `"503"` answers 503 without
 * forwarding (the portal is down), `"lost"` forwards (the portal stores the batch) and then
 * answers 503 anyway (the response was lost), `"ok"` forwards faithfully.
 */
async function flakyProxy(target: string, script: Array<"503" | "lost" | "ok">) {
  let n = 0;
  const seen: string[] = [];
  const encodings: string[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", async () => {
      const mode = script[n++] ?? "ok";
      seen.push(mode);
      encodings.push(String(req.headers["content-encoding"] ?? "identity"));
      if (mode === "503") return void res.writeHead(503, { "retry-after": "0" }).end('{"error":{"code":"storage_unavailable"}}');
      const upstream = await fetch(`${target}${req.url}`, {
        method: "POST",
        body: Buffer.concat(chunks),
        headers: Object.fromEntries(
          Object.entries(req.headers).filter(([k]) => ["authorization", "content-type", "content-encoding"].includes(k)) as [string, string][],
        ),
      });
      const text = await upstream.text();
      if (mode === "lost") return void res.writeHead(503).end("{}");
      res.writeHead(upstream.status, { "content-type": "application/json" }).end(text);
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen, encodings, close: () => new Promise<void>((r) => server.close(() => r())) };
}

describe("transport against a portal that fails and recovers", () => {
  it("503s then recovery, and a stored batch whose response was lost: nothing lost, nothing duplicated", async () => {
    const proxy = await flakyProxy(portal.baseUrl, ["503", "503", "lost", "ok", "503", "ok"]);
    initSdk(proxy.url, portal.key, { transport: { maxBatchEvents: 50 } });
    const run = `run-${Date.now()}`;
    for (let i = 0; i < 120; i++) logger.info("event {i} of {run}", { i, run });
    await flush();
    const stats = transportStats()!;
    await shutdown();
    const stored = await rows<{ i: number; n: string }>(
      `SELECT (attributes->>'i')::int AS i, count(*)::text AS n FROM logs WHERE project_id = $1 AND attributes->>'run' = $2 GROUP BY 1 ORDER BY 1`,
      [portal.projectId, run],
    );
    expect(stored).toHaveLength(120);
    expect(stored.every((r) => r.n === "1")).toBe(true);
    expect(stored.map((r) => r.i)).toEqual(Array.from({ length: 120 }, (_, i) => i));
    expect(proxy.seen.slice(0, 6)).toEqual(["503", "503", "lost", "ok", "503", "ok"]);
    expect(stats).toMatchObject({ sent: 120, droppedFailed: 0, droppedQueueFull: 0, retries: 4 });
    await proxy.close();
  });

  it("audit() entries reach the project's audit chain exactly once, even when a response was lost and the batch resent", async () => {
    const proxy = await flakyProxy(portal.baseUrl, ["lost", "ok"]);
    initSdk(proxy.url, portal.key);
    const run = `audit-${Date.now()}`;
    audit({ actor: { id: "u-7", email: "lin@app.test" }, action: "user.signed_in", ip: "198.51.100.7", metadata: { run } });
    audit({ actor: "u-7", action: "report.exported", target: { type: "report", id: "r-1" }, outcome: "denied", metadata: { run } });
    await flush();
    await shutdown();
    const stored = await rows<{ action: string; actor_email: string; outcome: string; target_id: string | null }>(
      `SELECT action, actor_email, metadata->>'outcome' AS outcome, target_id FROM audit_log WHERE chain = $1 AND metadata->>'run' = $2 ORDER BY seq`,
      [`project:${portal.projectId}`, run],
    );
    expect(stored).toEqual([
      { action: "user.signed_in", actor_email: "lin@app.test", outcome: "success", target_id: null },
      { action: "report.exported", actor_email: "u-7", outcome: "denied", target_id: "r-1" },
    ]);
    expect(proxy.seen.slice(0, 2)).toEqual(["lost", "ok"]);
    await proxy.close();
  });

  it("gzips large batches, which the portal accepts", async () => {
    const proxy = await flakyProxy(portal.baseUrl, []);
    initSdk(proxy.url, portal.key);
    const run = `gz-${Date.now()}`;
    for (let i = 0; i < 100; i++) logger.info("padded {i}", { i, run, pad: "y".repeat(500) });
    await flush();
    const stats = transportStats()!;
    await shutdown();
    const [row] = await rows<{ n: string }>(`SELECT count(*)::text AS n FROM logs WHERE project_id = $1 AND attributes->>'run' = $2`, [portal.projectId, run]);
    expect(row!.n).toBe("100");
    expect(stats.rejected).toBe(0);
    expect(proxy.encodings).toEqual(["gzip"]);
    await proxy.close();
  });
});
