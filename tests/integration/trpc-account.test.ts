import { describe, expect, it } from "vitest";
import { verifyPassword } from "@/server/auth/password";
import { prisma } from "@/server/db/prisma";
import { createCaller } from "@/server/api/root";
import { callerFor, contextFor, expectTRPCError, makeOrg, makeUser, uniq } from "./tenancy-fixtures";

const strong = "correct horse 42";

describe("account.signUp (an instance that cannot send e-mail: accounts are created at once)", () => {
  it("creates the user, a personal organisation they own and a sign-up audit record", async () => {
    const email = `  Ada.${uniq()}@Example.TEST `;
    const result = await callerFor(null).account.signUp({ email, password: strong, name: " Ada Lovelace " });
    if (result.status !== "created") throw new Error("expected the account to be created at once");
    const user = await prisma.user.findUniqueOrThrow({ where: { id: result.userId } });
    expect(user.email).toBe(email.trim().toLowerCase());
    expect(user.name).toBe("Ada Lovelace");
    expect(user.passwordHash).toMatch(/^scrypt\$/);
    expect(await verifyPassword(strong, user.passwordHash)).toBe(true);
    const membership = await prisma.membership.findFirstOrThrow({ where: { userId: user.id }, include: { org: true } });
    expect(membership.role).toBe("owner");
    expect(membership.org.slug).toBe(result.orgSlug);
    expect(membership.org.name).toBe("Ada Lovelace's organisation");
    const audit = await prisma.auditLog.findFirstOrThrow({ where: { action: "user.signed_up", actorId: user.id } });
    expect(audit).toMatchObject({ orgId: null, actorEmail: user.email, ip: "203.0.113.7", userAgent: "vitest" });
    expect(await prisma.auditLog.count({ where: { action: "org.created", orgId: membership.orgId } })).toBe(1);
  });

  it("refuses a duplicate e-mail (any case) with CONFLICT on email and changes nothing", async () => {
    const email = `dup-${uniq()}@example.test`;
    await callerFor(null).account.signUp({ email, password: strong, name: "First" });
    const before = await prisma.user.count();
    const shape = await expectTRPCError(callerFor(null).account.signUp({ email: email.toUpperCase(), password: strong, name: "Second" }), "CONFLICT", "email");
    expect(shape.message).toMatch(/already exists/);
    expect(await prisma.user.count()).toBe(before);
  });

  it("lets exactly one of two simultaneous sign-ups with the same e-mail through", async () => {
    const email = `race-${uniq()}@example.test`;
    const results = await Promise.allSettled([1, 2].map((n) => callerFor(null).account.signUp({ email, password: strong, name: `Racer ${n}` })));
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const rejected = results.find((r) => r.status === "rejected") as PromiseRejectedResult;
    await expectTRPCError(Promise.reject(rejected.reason), "CONFLICT", "email");
    expect(await prisma.user.count({ where: { email } })).toBe(1);
    const orgs = await prisma.organization.findMany({
      where: { name: { in: ["Racer 1's organisation", "Racer 2's organisation"] } },
      include: { memberships: true },
    });
    expect(orgs).toHaveLength(1);
    expect(orgs[0]!.memberships).toHaveLength(1);
  });

  it.each([
    ["malformed e-mail", { email: "not-an-email", password: strong, name: "X" }, "email"],
    ["short password", { email: `a-${uniq()}@example.test`, password: "Ab1!", name: "X" }, "password"],
    ["one-class password", { email: `a-${uniq()}@example.test`, password: "abcdefghijkl", name: "X" }, "password"],
    ["password equal to e-mail", { email: "same1@example.test", password: "same1@example.test", name: "X" }, "password"],
    ["over-long name", { email: `a-${uniq()}@example.test`, password: strong, name: "n".repeat(101) }, "name"],
    ["empty name", { email: `a-${uniq()}@example.test`, password: strong, name: "  " }, "name"],
  ])("rejects %s with BAD_REQUEST naming the field and writes nothing", async (_label, input, field) => {
    const before = await prisma.user.count();
    await expectTRPCError(callerFor(null).account.signUp(input), "BAD_REQUEST", field);
    expect(await prisma.user.count()).toBe(before);
  });
});

describe("account.me", () => {
  it("returns the user and every organisation with the role held", async () => {
    const user = await makeUser("me");
    const other = await makeUser("other");
    const own = await makeOrg(user);
    const joined = await makeOrg(other, [[user, "viewer"]]);
    await makeOrg(other);
    const me = await callerFor(user).account.me();
    expect(me.user).toEqual({ id: user.id, email: user.email, name: user.name });
    expect(me.orgs).toEqual([
      { slug: own.slug, name: own.name, role: "owner" },
      { slug: joined.slug, name: joined.name, role: "viewer" },
    ]);
  });

  it("is UNAUTHORIZED when signed out", async () => {
    await expectTRPCError(callerFor(null).account.me(), "UNAUTHORIZED");
  });
});

describe("sign-up rate limit", () => {
  it("allows 20 sign-ups an hour from one address, then TOO_MANY_REQUESTS saying how long to wait; other addresses go on", async () => {
    const ip = `198.51.100.${Math.floor(Math.random() * 200) + 20}`;
    const from = (address: string) => createCaller({ ...contextFor(null), ip: address });
    for (let i = 0; i < 20; i++) await from(ip).account.signUp({ email: `burst-${i}-${uniq()}@example.test`, password: strong, name: `Burst ${i}` });
    const shape = await expectTRPCError(
      from(ip).account.signUp({ email: `burst-x-${uniq()}@example.test`, password: strong, name: "One too many" }),
      "TOO_MANY_REQUESTS",
    );
    expect(shape.message).toMatch(/^Too many sign-ups from your address; try again in \d+ s$/);
    await expect(from("192.0.2.200").account.signUp({ email: `elsewhere-${uniq()}@example.test`, password: strong, name: "Elsewhere" })).resolves.toMatchObject(
      { userId: expect.any(String) },
    );
  });
});
