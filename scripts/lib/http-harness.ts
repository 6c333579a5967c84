import http from "node:http";
import type { AddressInfo } from "node:net";
import { Readable } from "node:stream";

type Handler = (request: Request, context: { params: Promise<Record<string, string | string[]>> }) => Promise<Response> | Response;
export type RouteModule = Partial<Record<"GET" | "POST" | "PUT" | "PATCH" | "DELETE", Handler>>;

/**
 * Serves the project's real App Router route handlers over real HTTP on loopback, without a
 * Next.js build: `{ "/api/v1/ingest": ingestRoute, "/api/v1/traces/[traceId]": traceRoute }`.
 * Dynamic segments `[name]` and catch-alls `[...name]` become `params`, as Next passes them.
 */
export async function startRouteServer(routes: Record<string, RouteModule>) {
  const compiled = Object.entries(routes).map(([pattern, module]) => {
    const names: string[] = [];
    const regex = new RegExp(
      "^" +
        pattern.replace(/\[(\.\.\.)?([^\]]+)\]/g, (_, rest: string | undefined, name: string) => {
          names.push((rest ? "..." : "") + name);
          return rest ? "(.+)" : "([^/]+)";
        }) +
        "/?$",
    );
    return { regex, names, module };
  });

  const server = http.createServer(async (req, res) => {
    try {
      const url = new URL(req.url ?? "/", `http://${req.headers.host}`);
      const match = compiled.map((r) => ({ r, m: r.regex.exec(url.pathname) })).find((x) => x.m);
      if (!match) return void res.writeHead(404).end("no such route");
      const handler = match.r.module[(req.method ?? "GET") as keyof RouteModule];
      if (!handler) return void res.writeHead(405).end("method not allowed");
      const params: Record<string, string | string[]> = {};
      match.r.names.forEach((name, i) => {
        const value = decodeURIComponent(match.m![i + 1]!);
        if (name.startsWith("...")) params[name.slice(3)] = value.split("/");
        else params[name] = value;
      });
      const headers = new Headers();
      for (const [k, v] of Object.entries(req.headers)) {
        if (Array.isArray(v)) v.forEach((x) => headers.append(k, x));
        else if (v !== undefined) headers.set(k, v);
      }
      const hasBody = req.method !== "GET" && req.method !== "HEAD";
      const request = new Request(url, {
        method: req.method,
        headers,
        body: hasBody ? (Readable.toWeb(req) as ReadableStream) : undefined,
        duplex: "half",
      } as RequestInit);
      const response = await handler(request, { params: Promise.resolve(params) });
      res.writeHead(response.status, Object.fromEntries(response.headers.entries()));
      res.end(Buffer.from(await response.arrayBuffer()));
    } catch (error) {
      res.writeHead(500).end(`harness: ${(error as Error).message}`);
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
