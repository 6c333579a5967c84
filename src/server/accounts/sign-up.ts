import { recordAudit } from "../audit/record";
import { hashPassword } from "../auth/password";
import { prisma } from "../db/prisma";
import { fieldError, isUniqueViolation } from "@/server/app-error";
import { createOrganizationInTx } from "../tenancy/organizations";
import { ZSignUp, type SignUpInput } from "./validation";

type RequestOrigin = { ip: string | null; userAgent: string | null };

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
export async function signUpUser(options: { input: SignUpInput; from: RequestOrigin }): Promise<{ userId: string; orgSlug: string }> {
  const input = ZSignUp.parse(options.input);
  if (await prisma.user.findUnique({ where: { email: input.email }, select: { id: true } })) throw duplicateEmail();
  const passwordHash = await hashPassword(input.password);
  try {
    return await prisma.$transaction(async (tx) => {
      const user = await tx.user.create({ data: { email: input.email, name: input.name, passwordHash }, select: { id: true } });
      const actor = { userId: user.id, email: input.email, ...options.from };
      const org = await createOrganizationInTx(tx, { userId: user.id, name: personalOrgName(input.name), personal: true, actor });
      await recordAudit(
        { action: "user.signed_up", actorId: user.id, actorEmail: input.email, targetType: "user", targetId: user.id, ip: options.from.ip, userAgent: options.from.userAgent, metadata: { orgSlug: org.slug } },
        tx,
      );
      return { userId: user.id, orgSlug: org.slug };
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw duplicateEmail();
    throw error;
  }
}
