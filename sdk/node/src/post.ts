/**
 * One HTTP POST with Node's own http/https modules and a keep-alive agent — not `fetch`, so the
 * SDK's fetch instrumentation (and any other) never traces the SDK's own traffic.
 */
import http from "node:http";
import https from "node:https";

export type PostResult = { status: number; retryAfter?: string | null; body?: string; error?: unknown };

const agents = {
  http: new http.Agent({ keepAlive: true, maxSockets: 4 }),
  https: new https.Agent({ keepAlive: true, maxSockets: 4 }),
};

export function postBody(url: string, headers: Record<string, string>, body: Buffer, timeoutMs: number): Promise<PostResult> {
  return new Promise((resolve) => {
    let settled = false;
    const done = (r: PostResult) => {
      if (!settled) {
        settled = true;
        resolve(r);
      }
    };
    try {
      const u = new URL(url);
      const secure = u.protocol === "https:";
      const req = (secure ? https : http).request(
        u,
        { method: "POST", agent: secure ? agents.https : agents.http, headers: { ...headers, "content-length": String(body.length) }, timeout: timeoutMs },
        (res) => {
          const chunks: Buffer[] = [];
          let size = 0;
          res.on("data", (c: Buffer) => {
            size += c.length;
            if (size < 65_536) chunks.push(c);
          });
          res.on("end", () => done({ status: res.statusCode ?? 0, retryAfter: res.headers["retry-after"] ?? null, body: Buffer.concat(chunks).toString("utf8") }));
          res.on("error", (error) => done({ status: 0, error }));
        },
      );
      req.on("timeout", () => req.destroy(new Error(`timed out after ${timeoutMs} ms`)));
      req.on("error", (error) => done({ status: 0, error }));
      req.end(body);
    } catch (error) {
      done({ status: 0, error });
    }
  });
}
