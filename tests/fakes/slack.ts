import http from "node:http";
import type { AddressInfo } from "node:net";

export type SlackMessage = { path: string; body: { text: string; blocks?: unknown[] } };

/**
 * A recording stand-in for Slack incoming webhooks on loopback: `POST /services/<anything>` stores the
 * JSON body and answers `ok`. `failNext(n, status)` makes the next n requests fail (e.g. 500 or 429).
 */
export async function startFakeSlack() {
  const messages: SlackMessage[] = [];
  let failures: number[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const status = failures.shift();
      if (status) return void res.writeHead(status, status === 429 ? { "retry-after": "1" } : {}).end("fake failure");
      if (req.method !== "POST" || !req.url?.startsWith("/services/")) return void res.writeHead(404).end("no_service");
      try {
        messages.push({ path: req.url, body: JSON.parse(Buffer.concat(chunks).toString("utf8")) as SlackMessage["body"] });
        res.writeHead(200, { "content-type": "text/plain" }).end("ok");
      } catch {
        res.writeHead(400).end("invalid_payload");
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    /** A webhook URL on this fake; each channel can use its own path. */
    url: (name = "T000/B000/XXXX") => `http://127.0.0.1:${port}/services/${name}`,
    messages,
    to: (name: string) => messages.filter((m) => m.path === `/services/${name}`),
    failNext: (n: number, status = 500) => void (failures = [...failures, ...Array<number>(n).fill(status)]),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
