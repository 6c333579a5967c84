/**
 * Query-string parsing for the read API: shared zod pieces (time range, limit, cursor, lists) and
 * `parseSearchParams`, which turns a URL's search params into a typed object or a list of field
 * errors (unknown parameters included, so a typo is an error rather than a silently ignored filter).
 */
import { z } from "zod";
import { decodeCursor, type Cursor } from "./cursor";

const MAX_LIMIT = 500;
const DEFAULT_LIMIT = 100;

const ZIsoTime = z.iso.datetime({ offset: true, error: "must be an ISO 8601 date-time such as 2026-11-27T00:00:00Z" }).transform((s) => new Date(s));

/** `from` (inclusive) and `to` (exclusive), ISO 8601 with an offset or `Z`. */
export const ZTimeRange = {
  from: ZIsoTime.optional(),
  to: ZIsoTime.optional(),
};

export const ZLimit = z.coerce
  .number({ error: `must be a number from 1 to ${MAX_LIMIT}` })
  .int(`must be a whole number from 1 to ${MAX_LIMIT}`)
  .min(1, `must be a number from 1 to ${MAX_LIMIT}`)
  .max(MAX_LIMIT, `must be at most ${MAX_LIMIT}`)
  .default(DEFAULT_LIMIT);

/**
 * `cursor`: the `nextCursor` of the previous page, checked to hold a time (or, for `at: "text"`,
 * any string) and an id of the given shape, so a forged cursor is a 400, never a SQL error.
 */
export const ZCursor = (id: "bigint" | "uuid" | "text", at: "time" | "text" = "time") =>
  z
    .string()
    .transform((s, ctx): Cursor => {
      const cursor = decodeCursor(s);
      const idOk = cursor && (id === "text" || (id === "bigint" ? /^\d{1,19}$/ : UUID).test(cursor.id));
      const atOk = cursor && (at === "text" || !Number.isNaN(Date.parse(cursor.at)));
      if (!cursor || !idOk || !atOk) {
        ctx.addIssue({ code: "custom", message: "is not a cursor this endpoint issued (pass `nextCursor` unchanged)" });
        return z.NEVER;
      }
      return cursor;
    })
    .optional();

export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A short text filter (service, environment, model…). */
export const ZText = (max = 256) => z.string().trim().min(1, "must not be empty").max(max, `at most ${max} characters`);

/** `q`: a text search of at most 200 characters. */
export const ZSearch = z.string().trim().min(1, "must not be empty").max(200, "at most 200 characters").optional();

/** A comma-separated (or repeated) list of allowed values: `level=error,fatal` or `level=error&level=fatal`. */
export function ZList<const T extends readonly [string, ...string[]]>(values: T) {
  return z
    .union([z.string(), z.array(z.string())])
    .transform((v) =>
      (Array.isArray(v) ? v : [v])
        .flatMap((x) => x.split(","))
        .map((x) => x.trim())
        .filter(Boolean),
    )
    .pipe(z.array(z.enum(values, { error: `must be one of ${values.join(", ")}` })).min(1, "must not be empty"))
    .optional();
}

export const ZTimeRangeCheck = <T extends { from?: Date; to?: Date }>(v: T, ctx: z.RefinementCtx) => {
  if (v.from && v.to && v.from >= v.to) ctx.addIssue({ code: "custom", path: ["to"], message: "must be after `from`" });
};

export type FieldErrors = Record<string, string[]>;

type ParseResult<T> = { ok: true; value: T } | { ok: false; fields: FieldErrors };

/** Parses URL search params with a zod object schema; a repeated parameter arrives as an array. */
export function parseSearchParams<S extends z.ZodType>(schema: S, params: URLSearchParams): ParseResult<z.output<S>> {
  const raw: Record<string, string | string[]> = {};
  for (const key of new Set(params.keys())) {
    const all = params.getAll(key);
    raw[key] = all.length === 1 ? all[0]! : all;
  }
  const parsed = schema.safeParse(raw);
  if (parsed.success) return { ok: true, value: parsed.data };
  const fields: FieldErrors = {};
  for (const issue of parsed.error.issues) {
    const keys = issue.code === "unrecognized_keys" ? issue.keys : [issue.path.length ? String(issue.path[0]) : "query"];
    const message = issue.code === "unrecognized_keys" ? "is not a parameter of this endpoint" : issue.message;
    for (const key of keys) (fields[key] ??= []).push(message);
  }
  return { ok: false, fields };
}
