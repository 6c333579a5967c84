import http from "node:http";
import type { AddressInfo } from "node:net";
import { randomUUID } from "node:crypto";

export type RecordedEmail = {
  id: string;
  authorization: string | undefined;
  body: { from: string; to: string | string[]; subject: string; html?: string; text?: string; [k: string]: unknown };
};

/**
 * A recording stand-in for the Resend API on loopback: `POST /emails` stores the JSON body and
 * answers `{ id }` as Resend does. Point the app at it with RESEND_BASE_URL=<baseUrl>.
 */
export async function startFakeResend() {
  const emails: RecordedEmail[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      if (req.method !== "POST" || req.url !== "/emails") {
        res.writeHead(404, { "content-type": "application/json" }).end(JSON.stringify({ name: "not_found", message: "unknown route", statusCode: 404 }));
        return;
      }
      try {
        const body = JSON.parse(Buffer.concat(chunks).toString("utf8")) as RecordedEmail["body"];
        const id = randomUUID();
        emails.push({ id, authorization: req.headers.authorization, body });
        res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ id }));
      } catch {
        res.writeHead(422, { "content-type": "application/json" }).end(JSON.stringify({ name: "validation_error", message: "invalid JSON", statusCode: 422 }));
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    emails,
    /** Messages sent to one address (Resend accepts a string or a list in `to`). */
    to: (address: string) => emails.filter((e) => [e.body.to].flat().includes(address)),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
