import { randomUUID } from "node:crypto";
import { TRPCError } from "@trpc/server";
import { getServerSession } from "next-auth";
import { headers } from "next/headers";
import { notFound, redirect } from "next/navigation";
import { createCaller } from "@/server/api/root";
import { contextFromHeaders } from "@/server/api/trpc";
import type { SessionUser } from "@/server/auth/session-user";
import { authOptions } from "@/server/auth/options";

async function getSessionUser(): Promise<SessionUser | null> {
  const session = await getServerSession(authOptions);
  return session?.user?.id ? session.user : null;
}

/** The signed-in user, or a redirect to /signin. */
export async function requireUser(callbackUrl?: string): Promise<SessionUser> {
  const user = await getSessionUser();
  if (!user) redirect(callbackUrl ? `/signin?callbackUrl=${encodeURIComponent(callbackUrl)}` : "/signin");
  return user;
}

/** A tRPC caller for server components, acting as the signed-in user of this request. */
export async function serverCaller(user: SessionUser) {
  const h = await headers();
  return createCaller(contextFromHeaders(h, user, h.get("x-request-id") ?? randomUUID()));
}

/** Runs a lookup; NOT_FOUND and FORBIDDEN become the 404 page, so other tenants' URLs reveal nothing. */
export async function orNotFound<T>(lookup: Promise<T>): Promise<T> {
  try {
    return await lookup;
  } catch (error) {
    if (error instanceof TRPCError && (error.code === "NOT_FOUND" || error.code === "FORBIDDEN")) notFound();
    throw error;
  }
}
