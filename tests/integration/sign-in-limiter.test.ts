import { randomBytes, scryptSync } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as authRoute from "@/app/api/auth/[...nextauth]/route";
import { hashPassword, needsRehash, verifyPassword } from "@/server/auth/password";
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

  it("reserves attempts atomically: of 30 at once for one e-mail and IP, exactly maxFailures pass", async () => {
    const email = `Someone-${uniq()}@Example.test`;
    const results = await Promise.all(Array.from({ length: 30 }, (_, i) => limiter.reserve(i % 2 ? email : ` ${email.toUpperCase()} `, "198.51.100.7")));
    expect(results.filter((r) => r.allowed)).toHaveLength(3);
    const refused = results.find((r) => !r.allowed) as { retryAfterSeconds: number };
    expect(refused.retryAfterSeconds).toBeGreaterThan(0);
    expect(refused.retryAfterSeconds).toBeLessThanOrEqual(60);
    expect(await limiter.retryAfterSeconds(email.toLowerCase(), "198.51.100.7")).toBeGreaterThan(0);
  });

  it("an attacker's failures lock their own address out, not the account owner's; a success starts the e-mail over", async () => {
    const email = `victim-${uniq()}@example.test`;
    for (let i = 0; i < 3; i++) expect(await limiter.reserve(email, "203.0.113.66")).toEqual({ allowed: true });
    expect((await limiter.reserve(email, "203.0.113.66")).allowed).toBe(false);
    expect(await limiter.reserve(email, "198.51.100.1")).toEqual({ allowed: true }); // the owner, from home
    await limiter.succeeded(email, "198.51.100.1");
    expect(await limiter.retryAfterSeconds(email, "198.51.100.1")).toBeNull();
    expect(await limiter.retryAfterSeconds(`other-${uniq()}@example.test`, "203.0.113.66")).toBeNull();
  });

  it("caps one address across many e-mails, and one e-mail across many addresses", async () => {
    const byIp = createSignInLimiter({ maxFailures: 3, ipMaxFailures: 4, windowSeconds: 60, redisUrl, keyPrefix: `test-signin-ip-${uniq()}` });
    for (let i = 0; i < 4; i++) expect((await byIp.reserve(`spray-${i}-${uniq()}@example.test`, "203.0.113.9")).allowed).toBe(true);
    expect((await byIp.reserve(`spray-x-${uniq()}@example.test`, "203.0.113.9")).allowed).toBe(false);
    const email = `spread-${uniq()}@example.test`;
    for (let i = 0; i < 30; i++) expect((await limiter.reserve(email, `198.18.0.${i}`)).allowed).toBe(true); // 10 × maxFailures
    expect((await limiter.reserve(email, "198.18.1.1")).allowed).toBe(false);
  });
});

describe("authorizeCredentials", () => {
  it("audits a failed sign-in with ip and user agent; a success is audited and clears the e-mail's count", async () => {
    const email = await makeUser("Correct-horse-9");
    expect(await authorizeCredentials({ email, password: "wrong-password" }, headers)).toBeNull();
    expect(await authorizeCredentials({ email: `nobody-${uniq()}@example.test`, password: "x" }, headers)).toBeNull();

    const failed = await prisma.auditLog.findFirstOrThrow({ where: { action: "user.sign_in_failed", actorEmail: email } });
    expect(failed).toMatchObject({ ip: "198.51.100.23", userAgent: "limiter-test/1.0", metadata: { reason: "wrong_password" } });

    for (let i = 0; i < env.SIGNIN_MAX_FAILURES; i++) await signInLimiter().reserve(email, "198.51.100.23");
    expect(await signInLimiter().retryAfterSeconds(email, "198.51.100.23")).not.toBeNull();

    const user = await authorizeCredentials({ email: email.toUpperCase(), password: "Correct-horse-9" }, headers);
    expect(user).toMatchObject({ email });
    const signedIn = await prisma.auditLog.findFirstOrThrow({ where: { action: "user.signed_in", actorEmail: email } });
    expect(signedIn).toMatchObject({ actorId: user!.id, ip: "198.51.100.23" });

    expect(await signInLimiter().retryAfterSeconds(email, "198.51.100.23")).toBeNull();
  });
});

describe("password hashing", () => {
  it("hashes at OWASP's scrypt cost and upgrades an older, cheaper hash at the next successful sign-in", async () => {
    const fresh = await hashPassword("Correct-horse-9");
    expect(fresh).toMatch(/^scrypt\$32768\$8\$3\$/);
    expect(needsRehash(fresh)).toBe(false);
    const email = `rehash-${uniq()}@example.test`;
    // What earlier versions stored: N=2^14, r=8, p=1.
    const salt = randomBytes(16);
    const legacy = [
      "scrypt",
      16384,
      8,
      1,
      salt.toString("base64url"),
      scryptSync("Old-but-right-1", salt, 64, { N: 16384, r: 8, p: 1 }).toString("base64url"),
    ].join("$");
    await prisma.user.create({ data: { email, name: "Legacy", passwordHash: legacy } });
    expect(await authorizeCredentials({ email, password: "wrong" }, headers)).toBeNull();
    expect((await prisma.user.findUniqueOrThrow({ where: { email } })).passwordHash).toBe(legacy); // a failure changes nothing
    expect(await authorizeCredentials({ email, password: "Old-but-right-1" }, headers)).toMatchObject({ email });
    const upgraded = (await prisma.user.findUniqueOrThrow({ where: { email } })).passwordHash;
    expect(upgraded).toMatch(/^scrypt\$32768\$8\$3\$/);
    expect(await verifyPassword("Old-but-right-1", upgraded)).toBe(true);
    expect(await authorizeCredentials({ email, password: "Old-but-right-1" }, headers)).toMatchObject({ email });
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
    for (let i = 0; i < env.SIGNIN_MAX_FAILURES; i++) await signInLimiter().reserve(email, null);
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

  it("30 parallel attempts for one e-mail: exactly SIGNIN_MAX_FAILURES reach NextAuth, the rest are answered 429", async () => {
    const email = await makeUser("Correct-horse-9");
    const statuses = (await Promise.all(Array.from({ length: 30 }, () => post(email)))).map((r) => r.status);
    // NextAuth itself needs Next's request scope (cookies()), so here it answers 500; e2e covers it end to end.
    expect(statuses.filter((s) => s === 429)).toHaveLength(30 - env.SIGNIN_MAX_FAILURES);
    expect(statuses.filter((s) => s !== 429)).toHaveLength(env.SIGNIN_MAX_FAILURES);
  });

  it("lets an e-mail that is not blocked through to NextAuth", async () => {
    const response = await post(`fresh-${uniq()}@example.test`);
    expect(response.status).not.toBe(429);
    expect(response.headers.get("retry-after")).toBeNull();
  });
});
