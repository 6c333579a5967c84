import NextAuth from "next-auth";
import { z } from "zod";
import { authOptions } from "@/server/auth/options";
import { signInLimiter } from "@/server/auth/sign-in-limiter";

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
 * A sign-in for an e-mail that failed too often answers 429 with Retry-After before
 * NextAuth runs (so it neither checks the password nor counts another attempt).
 */
async function throttled(request: Request, context: RouteContext): Promise<Response | null> {
  const [action, provider] = (await context.params).nextauth;
  if (action !== "callback" || provider !== "credentials") return null;
  const text = await request.clone().text();
  const isJson = request.headers.get("content-type")?.includes("application/json");
  const body: unknown = isJson ? parseJson(text) : Object.fromEntries(new URLSearchParams(text));
  const email = ZCallbackBody.safeParse(body).data?.email;
  if (!email) return null;
  const retryAfter = await signInLimiter().retryAfterSeconds(email);
  if (retryAfter === null) return null;
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
