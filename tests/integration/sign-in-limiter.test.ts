import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as authRoute from "@/app/api/auth/[...nextauth]/route";
import { hashPassword } from "@/server/auth/password";
import { authorizeCredentials } from "@/server/auth/options";
import { createSignInLimiter, signInLimiter } from "@/server/auth/sign-in-limiter";
import { prisma } from "@/server/db/prisma";
import { env } from "@/server/env";
import { startRouteServer, type RouteModule } from "../../scripts/lib/http-harness";

const uniq = () => randomBytes(4).toString("hex");
const headers = { "x-forwarded-for": "198.51.100.23", "user-agent": "limiter-test/1.0" };

async function makeUser(password: string) {
  const email = `limiter-${uniq()}@example.test`;
  await prisma.user.create({ data: { email, name: "Limiter", passwordHash: await hashPassword(password) } });
  return email;
}

describe.each([
  ["memory", undefined],
  ["redis", "redis://127.0.0.1:6379"],
])("createSignInLimiter (%s)", (_store, redisUrl) => {
  const limiter = createSignInLimiter({ maxFailures: 3, windowSeconds: 60, redisUrl, keyPrefix: `test-signin-${uniq()}` });

  it("blocks an e-mail after maxFailures failures, for at most the window, whatever its case", async () => {
    const email = `Someone-${uniq()}@Example.test`;
    await limiter.recordFailure(email);
    await limiter.recordFailure(email.toLowerCase());
    expect(await limiter.retryAfterSeconds(email)).toBeNull();
    await limiter.recordFailure(` ${email.toUpperCase()} `);
    const retryAfter = await limiter.retryAfterSeconds(email.toLowerCase());
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(60);
  });

  it("counts each e-mail separately and forgets an e-mail on reset", async () => {
    const email = `reset-${uniq()}@example.test`;
    for (let i = 0; i < 3; i++) await limiter.recordFailure(email);
    expect(await limiter.retryAfterSeconds(`other-${uniq()}@example.test`)).toBeNull();
    expect(await limiter.retryAfterSeconds(email)).not.toBeNull();
    await limiter.reset(email);
    expect(await limiter.retryAfterSeconds(email)).toBeNull();
  });
});

describe("authorizeCredentials", () => {
  it("audits a failed sign-in with ip and user agent and counts it; a success is audited and clears the count", async () => {
    const email = await makeUser("Correct-horse-9");
    expect(await authorizeCredentials({ email, password: "wrong-password" }, headers)).toBeNull();
    expect(await authorizeCredentials({ email: `nobody-${uniq()}@example.test`, password: "x" }, headers)).toBeNull();

    const failed = await prisma.auditLog.findFirstOrThrow({ where: { action: "user.sign_in_failed", actorEmail: email } });
    expect(failed).toMatchObject({ ip: "198.51.100.23", userAgent: "limiter-test/1.0", metadata: { reason: "wrong_password" } });

    for (let i = 1; i < env.SIGNIN_MAX_FAILURES - 1; i++) await authorizeCredentials({ email, password: "wrong" }, headers);
    expect(await signInLimiter().retryAfterSeconds(email)).toBeNull();

    const user = await authorizeCredentials({ email: email.toUpperCase(), password: "Correct-horse-9" }, headers);
    expect(user).toMatchObject({ email });
    const signedIn = await prisma.auditLog.findFirstOrThrow({ where: { action: "user.signed_in", actorEmail: email } });
    expect(signedIn).toMatchObject({ actorId: user!.id, ip: "198.51.100.23" });

    await authorizeCredentials({ email, password: "wrong" }, headers);
    expect(await signInLimiter().retryAfterSeconds(email)).toBeNull();
  });
});

describe("POST /api/auth/callback/credentials", () => {
  let server: Awaited<ReturnType<typeof startRouteServer>>;
  beforeAll(async () => {
    server = await startRouteServer({ "/api/auth/[...nextauth]": authRoute as RouteModule });
  });
  afterAll(() => server.close());

  const post = (email: string) =>
    fetch(`${server.baseUrl}/api/auth/callback/credentials`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ email, password: "whatever", csrfToken: "t", json: "true" }),
    });

  it("answers 429 with Retry-After for an e-mail that failed too often, before NextAuth runs", async () => {
    const email = await makeUser("Correct-horse-9");
    for (let i = 0; i < env.SIGNIN_MAX_FAILURES; i++) await authorizeCredentials({ email, password: "wrong" }, headers);
    const auditedBefore = await prisma.auditLog.count({ where: { actorEmail: email } });

    const response = await post(email.toUpperCase());
    expect(response.status).toBe(429);
    const retryAfter = Number(response.headers.get("retry-after"));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(env.SIGNIN_WINDOW_SECONDS);
    const body = (await response.json()) as { error: string; message: string; url: string };
    expect(body.error).toBe("TooManyAttempts");
    expect(body.message).toBe(`Too many attempts, try again in ${retryAfter} s`);
    expect(new URL(body.url).searchParams.get("error")).toBe("TooManyAttempts");
    expect(await prisma.auditLog.count({ where: { actorEmail: email } })).toBe(auditedBefore);
  });

  it("lets an e-mail that is not blocked through to NextAuth", async () => {
    const response = await post(`fresh-${uniq()}@example.test`);
    expect(response.status).not.toBe(429);
    expect(response.headers.get("retry-after")).toBeNull();
  });
});
