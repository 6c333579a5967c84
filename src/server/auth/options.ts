import "server-only";
import type { NextAuthOptions } from "next-auth";
import { getToken } from "next-auth/jwt";
import CredentialsProvider from "next-auth/providers/credentials";
import { z } from "zod";
import type { SessionUser } from "./session-user";
import { recordAudit } from "../audit/record";
import { prisma } from "../db/prisma";
import { env } from "../env";
import { log } from "../log";
import { clientIp } from "./client-ip";
import { DUMMY_PASSWORD_HASH, hashPassword, needsRehash, verifyPassword } from "./password";
import { signInLimiter } from "./sign-in-limiter";

declare module "next-auth" {
  interface Session {
    user: { id: string; email: string; name: string };
  }
}

const ZCredentials = z.object({
  email: z.string().trim().toLowerCase().email().max(254),
  password: z.string().min(1).max(200),
});

type RequestHeaders = Record<string, string | string[] | undefined> | undefined;

function header(headers: RequestHeaders, name: string): string | null {
  const value = headers?.[name];
  return (Array.isArray(value) ? value[0] : value) ?? null;
}

/** Where a sign-in attempt came from, as recorded in the audit log. */
function requestOrigin(headers: RequestHeaders) {
  return { ip: clientIp(header(headers, "x-forwarded-for"), env.TRUSTED_PROXIES), userAgent: header(headers, "user-agent") };
}

/**
 * Checks e-mail and password. Unknown e-mails are compared against a dummy hash so timing
 * does not reveal which accounts exist. Every outcome is audited. The attempt was already counted
 * by the sign-in route (reserved before this hashes anything); a success clears the e-mail's count.
 */
export async function authorizeCredentials(raw: unknown, headers: RequestHeaders) {
  const parsed = ZCredentials.safeParse(raw);
  if (!parsed.success) return null;
  const { email, password } = parsed.data;
  const origin = requestOrigin(headers);
  const user = await prisma.user.findUnique({ where: { email }, select: { id: true, email: true, name: true, passwordHash: true } });
  const ok = await verifyPassword(password, user?.passwordHash ?? DUMMY_PASSWORD_HASH);
  if (!user || !ok) {
    await recordAudit({
      action: "user.sign_in_failed",
      actorId: user?.id ?? null,
      actorEmail: email,
      targetType: "user",
      targetId: user?.id ?? null,
      ...origin,
      metadata: { reason: user ? "wrong_password" : "unknown_email" },
    });
    return null;
  }
  await signInLimiter().succeeded(email, origin.ip);
  if (needsRehash(user.passwordHash)) {
    await prisma.user.update({ where: { id: user.id }, data: { passwordHash: await hashPassword(password) } });
    log.info({ userId: user.id }, "password hash upgraded to the current scrypt parameters");
  }
  await recordAudit({ action: "user.signed_in", actorId: user.id, actorEmail: user.email, targetType: "user", targetId: user.id, ...origin });
  return { id: user.id, email: user.email, name: user.name };
}

export const authOptions: NextAuthOptions = {
  secret: env.NEXTAUTH_SECRET,
  session: { strategy: "jwt", maxAge: env.SESSION_MAX_AGE_SECONDS },
  jwt: { maxAge: env.SESSION_MAX_AGE_SECONDS },
  pages: { signIn: "/signin", error: "/signin" },
  providers: [
    CredentialsProvider({
      name: "E-mail and password",
      credentials: { email: { label: "E-mail", type: "email" }, password: { label: "Password", type: "password" } },
      authorize: (credentials, req) => authorizeCredentials(credentials, req.headers as RequestHeaders),
    }),
  ],
  callbacks: {
    jwt({ token, user }) {
      if (user) {
        token.sub = user.id;
        token.email = user.email;
        token.name = user.name;
      }
      return token;
    },
    session({ session, token }) {
      session.user = { id: token.sub ?? "", email: token.email ?? "", name: token.name ?? "" };
      return session;
    },
  },
  events: {
    async signOut({ token }) {
      if (!token?.sub) return;
      await recordAudit({ action: "user.signed_out", actorId: token.sub, actorEmail: token.email ?? null, targetType: "user", targetId: token.sub });
    },
  },
  logger: {
    error: (code, metadata) => log.error({ code, metadata }, "next-auth error"),
    warn: (code) => log.warn({ code }, "next-auth warning"),
    debug: (code, metadata) => log.debug({ code, metadata }, "next-auth debug"),
  },
};

function parseCookies(header: string | null): Record<string, string> {
  const cookies: Record<string, string> = {};
  for (const part of header?.split(";") ?? []) {
    const eq = part.indexOf("=");
    if (eq > 0) cookies[part.slice(0, eq).trim()] = decodeURIComponent(part.slice(eq + 1).trim());
  }
  return cookies;
}

/**
 * The signed-in user of a route handler's request, from NextAuth's session cookie only (an
 * `Authorization` header is never read as a session). Expired or tampered tokens are null.
 */
export async function sessionUserFromRequest(request: Request): Promise<SessionUser | null> {
  const token = await getToken({
    req: { cookies: parseCookies(request.headers.get("cookie")), headers: {} } as unknown as Parameters<typeof getToken>[0]["req"],
    secret: env.NEXTAUTH_SECRET,
    secureCookie: env.NEXTAUTH_URL?.startsWith("https://") ?? false,
  });
  if (!token?.sub || !token.email) return null;
  return { id: token.sub, email: token.email, name: token.name ?? "" };
}
