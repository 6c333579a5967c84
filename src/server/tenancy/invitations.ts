import { createHash, randomBytes } from "node:crypto";
import { AppError } from "@/server/app-error";
import { z } from "zod";
import { ZEmail } from "../auth/email";
import { auditFromActor, recordAudit, type AuditActor } from "../audit/record";
import { assignableRoles, type Role } from "../auth/permissions";
import { prisma } from "../db/prisma";
import { sendEmail } from "../email/send";
import { invitationEmail } from "../email/templates";
import { env } from "../env";
import { log } from "../log";
import { fieldError, forbidden, notFound } from "@/server/app-error";
import { ZRole } from "./members";

export const ZInvitationToken = z.string().trim().min(1, "The invitation link has no token").max(200, "This invitation link is not valid");
export const ZCreateInvitation = z.object({ email: ZEmail, role: ZRole });
type CreateInvitationInput = z.infer<typeof ZCreateInvitation>;

type InvitationStatus = "pending" | "expired" | "accepted" | "revoked";

const hashToken = (token: string) => createHash("sha256").update(token, "utf8").digest("hex");

function invitationStatus(inv: { acceptedAt: Date | null; revokedAt: Date | null; expiresAt: Date }, now = new Date()): InvitationStatus {
  if (inv.acceptedAt) return "accepted";
  if (inv.revokedAt) return "revoked";
  return inv.expiresAt.getTime() <= now.getTime() ? "expired" : "pending";
}

const pendingWhere = (now: Date) => ({ acceptedAt: null, revokedAt: null, expiresAt: { gt: now } });

export async function listInvitations(options: { org: { id: string } }) {
  const rows = await prisma.invitation.findMany({
    where: { orgId: options.org.id, ...pendingWhere(new Date()) },
    orderBy: { createdAt: "desc" },
    select: { id: true, email: true, role: true, createdAt: true, expiresAt: true, invitedBy: { select: { name: true, email: true } } },
  });
  return rows;
}

/**
 * Invites `email` with `role` (no higher than the inviter's own). The token is random, shown
 * only in the link and stored as SHA-256; an earlier pending invitation for the same address is
 * replaced. The link is e-mailed through Resend when configured and always returned to copy.
 */
export async function createInvitation(options: {
  org: { id: string; name: string; role: Role };
  input: CreateInvitationInput;
  actor: AuditActor & { userId: string };
  origin: string | null;
}): Promise<{ id: string; acceptUrl: string; emailed: boolean }> {
  const { org, actor } = options;
  const input = ZCreateInvitation.parse(options.input);
  if (!assignableRoles(org.role).includes(input.role)) throw fieldError("FORBIDDEN", "role", `Your role (${org.role}) cannot invite someone as ${input.role}`);
  if (!options.origin) throw new AppError("INTERNAL_SERVER_ERROR", "No portal origin to build the link: set NEXTAUTH_URL");
  const member = await prisma.membership.findFirst({ where: { orgId: org.id, user: { email: input.email } }, select: { userId: true } });
  if (member) throw fieldError("CONFLICT", "email", `${input.email} is already a member of this organisation`);

  const token = randomBytes(32).toString("base64url");
  const now = new Date();
  const expiresAt = new Date(now.getTime() + env.INVITATION_TTL_HOURS * 3_600_000);
  const invitation = await prisma.$transaction(async (tx) => {
    await tx.invitation.updateMany({ where: { orgId: org.id, email: input.email, ...pendingWhere(now) }, data: { revokedAt: now } });
    const created = await tx.invitation.create({
      data: { orgId: org.id, email: input.email, role: input.role, tokenHash: hashToken(token), invitedById: actor.userId, expiresAt },
      select: { id: true },
    });
    await recordAudit(
      auditFromActor(actor, {
        orgId: org.id,
        action: "invitation.sent",
        targetType: "invitation",
        targetId: created.id,
        metadata: { email: input.email, role: input.role },
      }),
      tx,
    );
    return created;
  });

  const acceptUrl = `${options.origin.replace(/\/+$/, "")}/invite/${token}`;
  const inviter = await prisma.user.findUniqueOrThrow({ where: { id: actor.userId }, select: { name: true } });
  const mail = invitationEmail({ orgName: org.name, inviterName: inviter.name, role: input.role, acceptUrl, expiresAt });
  const result = await sendEmail({ to: input.email, ...mail });
  return { id: invitation.id, acceptUrl, emailed: result.sent };
}

/** Revokes a pending invitation of this organisation (an invitation id of another org is "not found"). */
export async function revokeInvitation(options: { org: { id: string }; invitationId: string; actor: AuditActor }): Promise<{ revoked: true }> {
  const { org, invitationId, actor } = options;
  await prisma.$transaction(async (tx) => {
    const inv = await tx.invitation.findFirst({
      where: { id: invitationId, orgId: org.id },
      select: { id: true, email: true, acceptedAt: true, revokedAt: true, expiresAt: true },
    });
    if (!inv) throw notFound("Invitation not found");
    const status = invitationStatus(inv);
    if (status === "accepted") throw new AppError("PRECONDITION_FAILED", "This invitation was already accepted: remove the member instead");
    if (status === "revoked") return;
    await tx.invitation.update({ where: { id: inv.id }, data: { revokedAt: new Date() } });
    await recordAudit(
      auditFromActor(actor, { orgId: org.id, action: "invitation.revoked", targetType: "invitation", targetId: inv.id, metadata: { email: inv.email } }),
      tx,
    );
  });
  return { revoked: true };
}

async function findByToken(token: string) {
  const inv = await prisma.invitation.findUnique({
    where: { tokenHash: hashToken(token) },
    select: {
      id: true,
      orgId: true,
      email: true,
      role: true,
      acceptedAt: true,
      revokedAt: true,
      expiresAt: true,
      org: { select: { slug: true, name: true } },
      invitedBy: { select: { name: true } },
    },
  });
  if (!inv) throw notFound("This invitation does not exist — check the link or ask for a new one");
  return inv;
}

/** Whether `token` is a pending invitation for `email`: proof that whoever holds it reads that mailbox. */
export async function isPendingInvitationFor(token: string, email: string, now = new Date()): Promise<boolean> {
  const inv = await prisma.invitation.findUnique({
    where: { tokenHash: hashToken(token) },
    select: { email: true, acceptedAt: true, revokedAt: true, expiresAt: true },
  });
  return Boolean(inv && invitationStatus(inv, now) === "pending" && inv.email.toLowerCase() === email.toLowerCase());
}

/** What the invite page shows before anyone signs in. Unknown tokens are NOT_FOUND. */
export async function previewInvitation(options: { token: string }) {
  const inv = await findByToken(ZInvitationToken.parse(options.token));
  return { orgName: inv.org.name, email: inv.email, role: inv.role, invitedBy: inv.invitedBy.name, status: invitationStatus(inv) };
}

const NOT_PENDING: Record<Exclude<InvitationStatus, "pending">, string> = {
  expired: "This invitation has expired — ask for a new one",
  accepted: "This invitation has already been used",
  revoked: "This invitation was revoked — ask for a new one",
};

/**
 * Accepts a pending invitation for the signed-in user, whose e-mail must be the invited one.
 * Creates the membership (an existing member keeps their role) and audits `invitation.accepted`.
 */
export async function acceptInvitation(options: { token: string; user: { id: string; email: string }; actor: AuditActor }): Promise<{ orgSlug: string }> {
  const token = ZInvitationToken.parse(options.token);
  const inv = await findByToken(token);
  const status = invitationStatus(inv);
  if (status !== "pending") throw new AppError("PRECONDITION_FAILED", NOT_PENDING[status]);
  if (inv.email !== options.user.email.trim().toLowerCase()) {
    throw forbidden(`This invitation is for ${inv.email}; you are signed in as ${options.user.email}`);
  }
  await prisma.$transaction(async (tx) => {
    const now = new Date();
    const claimed = await tx.invitation.updateMany({ where: { id: inv.id, ...pendingWhere(now) }, data: { acceptedAt: now } });
    if (claimed.count !== 1) throw new AppError("PRECONDITION_FAILED", "This invitation is no longer pending");
    const existing = await tx.membership.findUnique({ where: { orgId_userId: { orgId: inv.orgId, userId: options.user.id } }, select: { role: true } });
    if (!existing) await tx.membership.create({ data: { orgId: inv.orgId, userId: options.user.id, role: inv.role } });
    await recordAudit(
      auditFromActor(options.actor, {
        orgId: inv.orgId,
        action: "invitation.accepted",
        targetType: "invitation",
        targetId: inv.id,
        metadata: { email: inv.email, role: existing?.role ?? inv.role, alreadyMember: Boolean(existing) },
      }),
      tx,
    );
  });
  log.info({ orgId: inv.orgId, invitationId: inv.id }, "invitation accepted");
  return { orgSlug: inv.org.slug };
}
