/**
 * tRPC setup, in three parts:
 * 1. context — who is calling (session user) and from where (ip, user agent, request id);
 * 2. init — superjson, the one mapping of the domain's AppError to a tRPC error, and one error
 *    formatter: 4xx messages and field errors reach the client, 5xx details are logged and hidden;
 * 3. procedures — public → protected (signed in) → org / project (member of it, allowed to
 *    do the action by `can(role, action)`; not a member answers NOT_FOUND, never data).
 */
import { initTRPC, TRPCError } from "@trpc/server";
import superjson from "superjson";
import { z, ZodError, ZodRealError } from "zod";
import { AppError } from "../app-error";
import { can, type Action, type Role } from "../auth/permissions";
import { prisma } from "../db/prisma";
import { clientIp } from "../auth/client-ip";
import { env } from "../env";
import { addLogContext, log } from "../log";
import type { AuditActor } from "../audit/record";
import type { SessionUser } from "../auth/session-user";

// 1. Context -----------------------------------------------------------------------------
export type TRPCContext = {
  user: SessionUser | null;
  ip: string | null;
  userAgent: string | null;
  requestId: string;
  /** The portal's public origin (for links in e-mails): NEXTAUTH_URL when set, else the request's. */
  origin: string | null;
};

function originFromHeaders(headers: Headers): string | null {
  if (env.NEXTAUTH_URL) return new URL(env.NEXTAUTH_URL).origin;
  const host = headers.get("x-forwarded-host")?.split(",")[0]?.trim() || headers.get("host");
  if (!host) return null;
  const proto = headers.get("x-forwarded-proto")?.split(",")[0]?.trim() || "http";
  return `${proto}://${host}`;
}

export function contextFromHeaders(headers: Headers, user: SessionUser | null, requestId: string): TRPCContext {
  return {
    user,
    ip: clientIp(headers.get("x-forwarded-for"), env.TRUSTED_PROXIES),
    userAgent: headers.get("user-agent"),
    requestId,
    origin: originFromHeaders(headers),
  };
}

// 2. Init ----------------------------------------------------------------------------------
const t = initTRPC.context<TRPCContext>().create({
  transformer: superjson,
  errorFormatter({ shape, error, ctx }) {
    const internal = error.code === "INTERNAL_SERVER_ERROR";
    if (internal) log.error({ err: error.cause ?? error, requestId: ctx?.requestId }, "tRPC internal error");
    const zodError = error.cause instanceof ZodError ? z.flattenError(error.cause) : null;
    return {
      ...shape,
      message: internal ? "Internal server error" : shape.message,
      data: {
        code: shape.data.code,
        httpStatus: shape.data.httpStatus,
        path: shape.data.path,
        requestId: ctx?.requestId,
        fieldErrors: zodError?.fieldErrors ?? null,
        formErrors: zodError?.formErrors ?? null,
      },
    };
  },
});

export const createTRPCRouter = t.router;
export const createCallerFactory = t.createCallerFactory;

/**
 * The domain's AppError as the tRPC error of the same code. A field error carries a ZodError as its
 * cause, so the formatter puts it in `error.data.fieldErrors[field]` exactly like a schema failure.
 */
export function toTRPCError(error: AppError): TRPCError {
  const cause = error.field ? new ZodRealError([{ code: "custom", path: [error.field], message: error.message, input: undefined }]) : error;
  return new TRPCError({ code: error.code, message: error.message, cause });
}

/** Every procedure starts here: an AppError thrown anywhere below (middleware or handler) is mapped once. */
const mapAppErrors = t.middleware(async ({ next }) => {
  const result = await next();
  if (!result.ok && result.error.cause instanceof AppError) throw toTRPCError(result.error.cause);
  return result;
});

// 3. Procedures -----------------------------------------------------------------------------
export const publicProcedure = t.procedure.use(mapAppErrors);

export const protectedProcedure = publicProcedure.use(({ ctx, next }) => {
  if (!ctx.user) throw new TRPCError({ code: "UNAUTHORIZED", message: "Sign in to continue" });
  addLogContext({ userId: ctx.user.id });
  const actor: AuditActor = { userId: ctx.user.id, email: ctx.user.email, ip: ctx.ip, userAgent: ctx.userAgent };
  return next({ ctx: { ...ctx, user: ctx.user, actor } });
});

const ZOrgSlug = z.string().trim().min(1, "Organisation is required").max(48);
const ZProjectSlug = z.string().trim().min(1, "Project is required").max(48);

type OrgScope = { id: string; slug: string; name: string; role: Role; spendReadRoles?: Role[] };

function deny(role: Role, action: Action): never {
  throw new TRPCError({ code: "FORBIDDEN", message: `Your role (${role}) does not allow ${action}` });
}

/** Resolves the caller's membership of `orgSlug`; a non-member is told the organisation does not exist. */
async function loadOrgScope(userId: string, orgSlug: string): Promise<OrgScope> {
  const membership = await prisma.membership.findFirst({
    where: { userId, org: { slug: orgSlug } },
    select: { role: true, org: { select: { id: true, slug: true, name: true, spendReadRoles: true } } },
  });
  if (!membership) throw new TRPCError({ code: "NOT_FOUND", message: `Organisation "${orgSlug}" not found` });
  return { ...membership.org, role: membership.role };
}

/** A procedure for one organisation: input carries `orgSlug`; the caller must be allowed `action`. */
export const orgProcedure = (action: Action) =>
  protectedProcedure.input(z.object({ orgSlug: ZOrgSlug })).use(async ({ ctx, input, next }) => {
    const org = await loadOrgScope(ctx.user.id, input.orgSlug);
    addLogContext({ orgId: org.id });
    if (!can(org.role, action, org)) deny(org.role, action);
    // The one place spend visibility is decided: procedures pass `ctx.seesSpend` to the functions
    // that mask amounts (src/server/spend, alerts/spend.ts, reports) instead of asking again.
    return next({ ctx: { ...ctx, org, seesSpend: can(org.role, "spend:read", org) } });
  });

/** A procedure for one project: `orgSlug` + `projectSlug`; the project must belong to that organisation. */
export const projectProcedure = (action: Action) =>
  orgProcedure(action)
    .input(z.object({ projectSlug: ZProjectSlug }))
    .use(async ({ ctx, input, next }) => {
      const project = await prisma.project.findUnique({
        where: { orgId_slug: { orgId: ctx.org.id, slug: input.projectSlug } },
        select: { id: true, slug: true, name: true, orgId: true },
      });
      if (!project) throw new TRPCError({ code: "NOT_FOUND", message: `Project "${input.projectSlug}" not found` });
      addLogContext({ projectId: project.id });
      return next({ ctx: { ...ctx, project } });
    });
