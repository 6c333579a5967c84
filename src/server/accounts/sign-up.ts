import { createHash, randomBytes } from "node:crypto";
import { z } from "zod";
import { recordAudit } from "../audit/record";
import { hashPassword } from "../auth/password";
import { prisma } from "../db/prisma";
import { canSendEmail, sendEmail } from "../email/send";
import { accountExistsEmail, confirmSignUpEmail } from "../email/templates";
import { AppError, fieldError, isUniqueViolation } from "@/server/app-error";
import { createOrganizationInTx } from "../tenancy/organizations";
import { isPendingInvitationFor } from "../tenancy/invitations";
import { ZSignUp, type SignUpInput } from "./validation";

type RequestOrigin = { ip: string | null; userAgent: string | null };

/**
 * `created`: the account exists and the caller can sign in. `check_email`: a link was sent to the
 * address (to finish signing up, or, if it already has an account, to say so) — the answer is the same
 * either way, so sign-up does not tell anyone whether an address is registered.
 */
export type SignUpResult = { status: "created"; userId: string; orgSlug: string } | { status: "check_email"; email: string };

const CONFIRM_TTL_MS = 24 * 60 * 60 * 1000;
export const ZConfirmToken = z.string().trim().min(20, "This link is not valid").max(200, "This link is not valid");
const hashToken = (token: string) => createHash("sha256").update(token, "utf8").digest("hex");

/** "Ada's organisation", or just the name when that would exceed 100 characters. */
function personalOrgName(name: string): string {
  const full = `${name}'s organisation`;
  return full.length <= 100 ? full : name;
}

const duplicateEmail = () => fieldError("CONFLICT", "email", "An account with this e-mail already exists — sign in instead");

/**
 * Creates the user, their personal organisation (as owner) and the `user.signed_up` audit
 * record in one transaction: a failure leaves nothing behind.
 */
async function createAccount(account: { email: string; name: string; passwordHash: string }, from: RequestOrigin) {
  try {
    return await prisma.$transaction(async (tx) => {
      const user = await tx.user.create({ data: account, select: { id: true } });
      const actor = { userId: user.id, email: account.email, ...from };
      const org = await createOrganizationInTx(tx, { userId: user.id, name: personalOrgName(account.name), personal: true, actor });
      await recordAudit(
        {
          action: "user.signed_up",
          actorId: user.id,
          actorEmail: account.email,
          targetType: "user",
          targetId: user.id,
          ip: from.ip,
          userAgent: from.userAgent,
          metadata: { orgSlug: org.slug },
        },
        tx,
      );
      return { status: "created" as const, userId: user.id, orgSlug: org.slug };
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw duplicateEmail();
    throw error;
  }
}

/**
 * Signs someone up. When the portal can send e-mail, the account is created only from the link sent
 * to the address (`confirmSignUp`), and an address that already has an account gets an e-mail saying
 * so instead: both answer `check_email` after the same work (a password hash and one e-mail). An
 * invitation link proves the address already, so invitees are signed up at once; so is everyone on an
 * instance that cannot send e-mail (the embedded default), where an existing address is refused.
 */
export async function signUpUser(options: { input: SignUpInput; from: RequestOrigin; origin: string | null; invitationToken?: string }): Promise<SignUpResult> {
  const input = ZSignUp.parse(options.input);
  const proven = options.invitationToken ? await isPendingInvitationFor(options.invitationToken, input.email) : false;
  if (!canSendEmail() || proven) {
    if (await prisma.user.findUnique({ where: { email: input.email }, select: { id: true } })) throw duplicateEmail();
    return createAccount({ email: input.email, name: input.name, passwordHash: await hashPassword(input.password) }, options.from);
  }
  if (!options.origin) throw new AppError("INTERNAL_SERVER_ERROR", "No portal origin to build the link: set NEXTAUTH_URL");
  const origin = options.origin.replace(/\/+$/, "");
  const passwordHash = await hashPassword(input.password);
  if (await prisma.user.findUnique({ where: { email: input.email }, select: { id: true } })) {
    await sendEmail({ to: input.email, ...accountExistsEmail({ signInUrl: `${origin}/signin` }) });
  } else {
    const token = randomBytes(32).toString("base64url");
    await prisma.$transaction([
      prisma.pendingSignUp.deleteMany({ where: { OR: [{ email: input.email }, { expiresAt: { lt: new Date() } }] } }),
      prisma.pendingSignUp.create({
        data: { email: input.email, name: input.name, passwordHash, tokenHash: hashToken(token), expiresAt: new Date(Date.now() + CONFIRM_TTL_MS) },
      }),
    ]);
    await sendEmail({ to: input.email, ...confirmSignUpEmail({ name: input.name, confirmUrl: `${origin}/signup/confirm?token=${token}` }) });
  }
  return { status: "check_email", email: input.email };
}

/** Creates the account a confirmation link stands for; the link works once, for 24 hours. */
export async function confirmSignUp(options: { token: string; from: RequestOrigin }): Promise<{ email: string; orgSlug: string }> {
  const tokenHash = hashToken(ZConfirmToken.parse(options.token));
  const pending = await prisma.pendingSignUp.findUnique({ where: { tokenHash } });
  const invalid = () => fieldError("NOT_FOUND", "token", "This link has expired or was already used — sign up again, or sign in if you finished before");
  if (!pending) throw invalid();
  const { count } = await prisma.pendingSignUp.deleteMany({ where: { id: pending.id } }); // once, even when clicked twice at once
  if (!count || pending.expiresAt.getTime() <= Date.now()) throw invalid();
  const created = await createAccount({ email: pending.email, name: pending.name, passwordHash: pending.passwordHash }, options.from);
  return { email: pending.email, orgSlug: created.orgSlug };
}
