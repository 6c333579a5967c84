import { TRPCClientError } from "@trpc/client";
import { fieldErrorsOf } from "@/components/trpc/errors";

/** Errors keyed by dotted input path (`config.threshold`, `name`); the empty key holds what names no field. */
export type PathErrors = Record<string, string>;

type Issue = { code?: string; path?: (string | number)[]; message?: string; errors?: Issue[][] };

/** A union's issues: only the branch whose `kind` matched speaks for the field. */
function flatten(issues: Issue[], prefix: (string | number)[], out: PathErrors) {
  for (const issue of issues) {
    const path = [...prefix, ...(issue.path ?? [])];
    if (issue.code === "invalid_union" && issue.errors?.length) {
      const branch = issue.errors.find((b) => !b.some((i) => i.code === "invalid_value" && i.path?.join(".") === "kind"));
      if (branch) {
        flatten(branch, path, out);
        continue;
      }
    }
    out[path.join(".")] ??= issue.message ?? "Invalid value";
  }
}

function zodIssues(message: string): Issue[] | null {
  if (!message.trimStart().startsWith("[")) return null;
  try {
    const parsed = JSON.parse(message) as unknown;
    return Array.isArray(parsed) ? (parsed as Issue[]) : null;
  } catch {
    return null;
  }
}

/**
 * Field errors of a failed mutation at full depth. `error.data.fieldErrors` names only the top
 * field (`config`), so nested rule settings are read from the zod issues in the message, and
 * server checks that answer "field: reason" (e.g. `config.url: …`) are placed on that field.
 */
export function pathErrorsOf(error: unknown): PathErrors {
  if (!error) return {};
  const out: PathErrors = {};
  const message = error instanceof Error ? error.message : "";
  const issues = zodIssues(message);
  if (issues) {
    flatten(issues, [], out);
    return out;
  }
  for (const [field, messages] of Object.entries(fieldErrorsOf(error))) if (messages?.[0]) out[field] = messages[0];
  const named = /^([a-zA-Z][\w.]*): (.+)$/s.exec(message);
  if (named && error instanceof TRPCClientError) out[named[1]!] = named[2]!;
  else if (!Object.keys(out).length) out[""] = message || "Something went wrong";
  return out;
}

/** The first error at `path` or below it (a union branch may report `config.filters.route`). */
export function errorAt(errors: PathErrors, path: string): string | undefined {
  if (errors[path]) return errors[path];
  const nested = Object.keys(errors).find((k) => k.startsWith(`${path}.`));
  return nested ? errors[nested] : undefined;
}
