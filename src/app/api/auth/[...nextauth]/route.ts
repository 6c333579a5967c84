import NextAuth from "next-auth";
import { z } from "zod";
import { authOptions } from "@/server/auth/options";
import { clientIp } from "@/server/auth/client-ip";
import { signInLimiter } from "@/server/auth/sign-in-limiter";
import { env } from "@/server/env";

type RouteContext = { params: Promise<{ nextauth: string[] }> };

const nextAuth = NextAuth(authOptions) as (request: Request, context: RouteContext) => Promise<Response>;
const ZCallbackBody = z.object({ email: z.string().max(254).optional() });

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

/**
 * Every credentials sign-in reserves an attempt (per e-mail and IP, e-mail, and IP; see
 * sign-in-limiter.ts) before NextAuth hashes the password; over a limit it answers 429 with
 * Retry-After and NextAuth never runs.
 */
async function throttled(request: Request, context: RouteContext): Promise<Response | null> {
  const [action, provider] = (await context.params).nextauth;
  if (action !== "callback" || provider !== "credentials") return null;
  const text = await request.clone().text();
  const isJson = request.headers.get("content-type")?.includes("application/json");
  const body: unknown = isJson ? parseJson(text) : Object.fromEntries(new URLSearchParams(text));
  const email = ZCallbackBody.safeParse(body).data?.email;
  if (!email) return null;
  const reservation = await signInLimiter().reserve(email, clientIp(request.headers.get("x-forwarded-for"), env.TRUSTED_PROXIES));
  if (reservation.allowed) return null;
  const retryAfter = reservation.retryAfterSeconds;
  const url = new URL("/signin", request.url);
  url.searchParams.set("error", "TooManyAttempts");
  url.searchParams.set("retryAfter", String(retryAfter));
  return Response.json(
    { error: "TooManyAttempts", message: `Too many attempts, try again in ${retryAfter} s`, retryAfter, url: url.toString() },
    { status: 429, headers: { "Retry-After": String(retryAfter) } },
  );
}

export async function GET(request: Request, context: RouteContext) {
  return nextAuth(request, context);
}

export async function POST(request: Request, context: RouteContext) {
  return (await throttled(request, context)) ?? nextAuth(request, context);
}
