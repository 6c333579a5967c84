import http from "node:http";
import type { AddressInfo } from "node:net";
import { verifyWebhook } from "@/server/alerts/signing";

export type ReceivedWebhook = {
  path: string;
  headers: { id?: string; timestamp?: string; signature?: string };
  rawBody: string;
  body: unknown;
  verified: boolean;
  reason?: string;
};

/**
 * A webhook receiver on loopback that verifies Standard Webhooks signatures the way a customer's
 * endpoint would: `secretFor(path)` gives the endpoint's whsec_ secret; a bad or missing signature
 * or a stale timestamp answers 401 (and is recorded with verified: false). `failNext(n, status)`
 * makes the next n requests fail before verification.
 */
export async function startWebhookReceiver() {
  const received: ReceivedWebhook[] = [];
  const secrets = new Map<string, string>();
  let failures: number[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const status = failures.shift();
      if (status) return void res.writeHead(status).end("fake failure");
      const rawBody = Buffer.concat(chunks).toString("utf8");
      const path = req.url ?? "/";
      const headers = {
        id: req.headers["webhook-id"] as string | undefined,
        timestamp: req.headers["webhook-timestamp"] as string | undefined,
        signature: req.headers["webhook-signature"] as string | undefined,
      };
      const secret = secrets.get(path);
      const check = secret ? verifyWebhook(secret, headers, rawBody) : { ok: false as const, reason: "no secret configured for this path" };
      let body: unknown = null;
      try {
        body = JSON.parse(rawBody);
      } catch {
        body = rawBody;
      }
      received.push({ path, headers, rawBody, body, verified: check.ok, reason: check.ok ? undefined : check.reason });
      res.writeHead(check.ok ? 204 : 401).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    url: (path = "/hooks/alerts") => `http://127.0.0.1:${port}${path}`,
    setSecret: (path: string, secret: string) => void secrets.set(path, secret),
    received,
    at: (path: string) => received.filter((r) => r.path === path),
    failNext: (n: number, status = 500) => void (failures = [...failures, ...Array<number>(n).fill(status)]),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
