import { randomBytes } from "node:crypto";
import { encode } from "next-auth/jwt";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as trpcRoute from "@/app/api/trpc/[trpc]/route";
import { prisma } from "@/server/db/prisma";
import { env } from "@/server/env";
import { startRouteServer, type RouteModule } from "../../scripts/lib/http-harness";

const uniq = () => randomBytes(4).toString("hex");

describe("/api/trpc over HTTP", () => {
  let server: Awaited<ReturnType<typeof startRouteServer>>;
  let user: { id: string; email: string; name: string };
  beforeAll(async () => {
    server = await startRouteServer({ "/api/trpc/[trpc]": trpcRoute as RouteModule });
    user = await prisma.user.create({
      data: { email: `route-${uniq()}@example.test`, name: "Route Tester", passwordHash: "x" },
      select: { id: true, email: true, name: true },
    });
  });
  afterAll(() => server.close());

  const sessionCookie = async (claims: Record<string, unknown>, maxAge = 3600) =>
    `next-auth.session-token=${await encode({ token: claims, secret: env.NEXTAUTH_SECRET, maxAge })}`;

  it("reads the user from the NextAuth session cookie and answers with the request's id", async () => {
    const response = await fetch(`${server.baseUrl}/api/trpc/account.me`, {
      headers: { cookie: await sessionCookie({ sub: user.id, email: user.email, name: user.name }), "x-request-id": "req-from-client" },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get("x-request-id")).toBe("req-from-client");
    const body = (await response.json()) as { result: { data: { json: { user: { id: string } } } } };
    expect(body.result.data.json.user.id).toBe(user.id);
  });

  it("treats a missing, expired or forged session as signed out and generates a request id", async () => {
    const forged = await encode({ token: { sub: user.id, email: user.email }, secret: "a-different-secret-0123456789abcdef0123", maxAge: 3600 });
    for (const cookie of ["", await sessionCookie({ sub: user.id, email: user.email }, -120), `next-auth.session-token=${forged}`]) {
      const response = await fetch(`${server.baseUrl}/api/trpc/account.me`, { headers: cookie ? { cookie } : {} });
      expect(response.status).toBe(401);
      expect(response.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
    }
  });

  it("never takes a session from an Authorization header", async () => {
    const token = await encode({ token: { sub: user.id, email: user.email }, secret: env.NEXTAUTH_SECRET, maxAge: 3600 });
    const response = await fetch(`${server.baseUrl}/api/trpc/account.me`, { headers: { authorization: `Bearer ${token}` } });
    expect(response.status).toBe(401);
  });
});
