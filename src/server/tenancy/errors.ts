import { TRPCError } from "@trpc/server";
import { ZodRealError } from "zod";

type Code = "BAD_REQUEST" | "CONFLICT" | "NOT_FOUND" | "FORBIDDEN" | "PRECONDITION_FAILED";

/**
 * An error about one input field (duplicate e-mail, taken slug, weak password…). The cause is a
 * ZodError so the tRPC error formatter puts it in `error.data.fieldErrors[field]`, exactly like
 * a schema failure, and forms show it next to the field.
 */
export function fieldError(code: Code, field: string, message: string): TRPCError {
  return new TRPCError({ code, message, cause: new ZodRealError([{ code: "custom", path: [field], message, input: undefined }]) });
}

export function notFound(message: string): TRPCError {
  return new TRPCError({ code: "NOT_FOUND", message });
}

export function forbidden(message: string): TRPCError {
  return new TRPCError({ code: "FORBIDDEN", message });
}

export function preconditionFailed(message: string): TRPCError {
  return new TRPCError({ code: "PRECONDITION_FAILED", message });
}

/** True for a Postgres unique violation (Prisma P2002), optionally on a given column. */
export function isUniqueViolation(error: unknown): boolean {
  return typeof error === "object" && error !== null && (error as { code?: unknown }).code === "P2002";
}
