/**
 * Signed unsubscribe tokens: `<base64url(orgId:userId)>.<base64url HMAC-SHA256>` keyed with a key
 * derived from NEXTAUTH_SECRET, so the link works without signing in and cannot be forged for
 * someone else. Opting out is per user per organisation.
 */
import { createHmac, timingSafeEqual } from "node:crypto";
import { env } from "../env";
import { prisma } from "../db/prisma";

const key = () => createHmac("sha256", env.NEXTAUTH_SECRET).update("sightline:report-unsubscribe:v1").digest();
const mac = (payload: string) => createHmac("sha256", key()).update(payload).digest("base64url");

function unsubscribeToken(orgId: string, userId: string): string {
  const payload = Buffer.from(`${orgId}:${userId}`).toString("base64url");
  return `${payload}.${mac(payload)}`;
}

export function verifyUnsubscribeToken(token: string): { orgId: string; userId: string } | null {
  const [payload, sig] = token.split(".");
  if (!payload || !sig) return null;
  const expected = Buffer.from(mac(payload));
  const given = Buffer.from(sig);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  const [orgId, userId] = Buffer.from(payload, "base64url").toString("utf8").split(":");
  return orgId && userId ? { orgId, userId } : null;
}

export const unsubscribeUrl = (origin: string, orgId: string, userId: string) =>
  `${origin}/api/reports/unsubscribe?token=${encodeURIComponent(unsubscribeToken(orgId, userId))}`;

export async function setReportSubscription(options: { orgId: string; userId: string; subscribed: boolean }) {
  if (options.subscribed) await prisma.reportOptOut.deleteMany({ where: { orgId: options.orgId, userId: options.userId } });
  else
    await prisma.reportOptOut.upsert({
      where: { orgId_userId: { orgId: options.orgId, userId: options.userId } },
      create: { orgId: options.orgId, userId: options.userId },
      update: {},
    });
  return { subscribed: options.subscribed };
}

export async function isSubscribed(options: { orgId: string; userId: string }) {
  return !(await prisma.reportOptOut.findUnique({ where: { orgId_userId: options } }));
}

/** Opts the token's user out of the token's organisation's reports; null for a bad token. */
export async function unsubscribeWithToken(token: string) {
  const who = verifyUnsubscribeToken(token);
  if (!who) return null;
  const org = await prisma.organization.findUnique({ where: { id: who.orgId }, select: { name: true } });
  if (!org) return null;
  await setReportSubscription({ ...who, subscribed: false });
  return { orgName: org.name };
}
