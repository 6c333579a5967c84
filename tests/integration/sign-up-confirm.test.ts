/**
 * Sign-up on an instance that sends e-mail: the answer is the same whether or not the address has an
 * account (no enumeration), the account is created only from the link sent to that address, the link
 * works once, and invitees (whose link proves the address) are signed up at once.
 */
import { afterAll, describe, expect, it } from "vitest";
import { startFakeResend } from "../fakes/resend";

const fake = await startFakeResend();
process.env.RESEND_API_KEY = "re_test_0123456789";
process.env.RESEND_BASE_URL = fake.baseUrl;
const { callerFor, expectTRPCError, makeUser, orgWithRoles, uniq } = await import("./tenancy-fixtures");
const { prisma } = await import("@/server/db/prisma");
const { verifyPassword } = await import("@/server/auth/password");

afterAll(() => fake.close());
const strong = "correct horse 42";
const linkIn = (text: string | undefined) => /https?:\/\/\S+\/signup\/confirm\?token=[\w-]+/.exec(text ?? "")?.[0];

describe("sign-up with e-mail confirmation", () => {
  it("answers a new and a registered address identically, and tells each address's owner by e-mail", async () => {
    const existing = await makeUser("registered");
    const fresh = `fresh-${uniq()}@example.test`;
    const usersBefore = await prisma.user.count();
    const forNew = await callerFor(null).account.signUp({ email: fresh, password: strong, name: "Fresh" });
    const forExisting = await callerFor(null).account.signUp({ email: existing.email, password: strong, name: "Impostor" });
    expect(forNew).toEqual({ status: "check_email", email: fresh });
    expect(forExisting).toEqual({ status: "check_email", email: existing.email });
    expect(await prisma.user.count()).toBe(usersBefore); // nothing exists until the link is followed
    expect(fake.to(existing.email).map((m) => m.body.subject)).toEqual(["You already have a Sightline account"]);
    expect(fake.to(existing.email)[0]!.body.text).not.toContain("/signup/confirm");
    const [mail] = fake.to(fresh);
    expect(mail!.body.subject).toMatch(/Confirm your e-mail/);
    expect(linkIn(mail!.body.text)).toMatch(/^http:\/\/portal\.test\/signup\/confirm\?token=/);
  });

  it("creates the account from the link once, with the password chosen at sign-up; a second use or a bad token is refused", async () => {
    const email = `confirm-${uniq()}@example.test`;
    await callerFor(null).account.signUp({ email, password: strong, name: "Confirmed" });
    const token = new URL(linkIn(fake.to(email)[0]!.body.text)!).searchParams.get("token")!;
    const created = await callerFor(null).account.confirmSignUp({ token });
    expect(created.email).toBe(email);
    const user = await prisma.user.findUniqueOrThrow({ where: { email } });
    expect(await verifyPassword(strong, user.passwordHash)).toBe(true);
    expect(await prisma.membership.findFirstOrThrow({ where: { userId: user.id }, include: { org: true } })).toMatchObject({
      role: "owner",
      org: { slug: created.orgSlug },
    });
    await expectTRPCError(callerFor(null).account.confirmSignUp({ token }), "NOT_FOUND", "token");
    await expectTRPCError(callerFor(null).account.confirmSignUp({ token: "x".repeat(43) }), "NOT_FOUND", "token");
    await expectTRPCError(callerFor(null).account.confirmSignUp({ token: "short" }), "BAD_REQUEST", "token");
    // Signing up again later with the now-registered address only sends the "you have an account" e-mail.
    expect(await callerFor(null).account.signUp({ email, password: strong, name: "Again" })).toEqual({ status: "check_email", email });
    expect(fake.to(email).at(-1)!.body.subject).toBe("You already have a Sightline account");
  });

  it("a newer sign-up for the same address replaces the older link; an expired link is refused", async () => {
    const email = `twice-${uniq()}@example.test`;
    await callerFor(null).account.signUp({ email, password: strong, name: "One" });
    await callerFor(null).account.signUp({ email, password: strong, name: "Two" });
    const [first, second] = fake.to(email).map((m) => new URL(linkIn(m.body.text)!).searchParams.get("token")!);
    await expectTRPCError(callerFor(null).account.confirmSignUp({ token: first! }), "NOT_FOUND", "token");
    await prisma.pendingSignUp.updateMany({ where: { email }, data: { expiresAt: new Date(Date.now() - 1000) } });
    await expectTRPCError(callerFor(null).account.confirmSignUp({ token: second! }), "NOT_FOUND", "token");
    expect(await prisma.user.count({ where: { email } })).toBe(0);
  });

  it("an invitee signs up at once: the invitation link proves the address", async () => {
    const { org, admin } = await orgWithRoles();
    const email = `invitee-${uniq()}@example.test`;
    const invitation = await callerFor(admin).invitation.create({ orgSlug: org.slug, email, role: "member" });
    const token = invitation.acceptUrl.split("/invite/")[1]!;
    const result = await callerFor(null).account.signUp({ email, password: strong, name: "Invitee", invitationToken: token });
    expect(result.status).toBe("created");
    // Another address with that invitation's token proves nothing.
    const other = `other-${uniq()}@example.test`;
    expect(await callerFor(null).account.signUp({ email: other, password: strong, name: "Other", invitationToken: token })).toEqual({
      status: "check_email",
      email: other,
    });
  });
});
