import { randomBytes } from "node:crypto";
import { z } from "zod";

const SLUG_MIN = 3;
export const SLUG_MAX = 48;

/** Top-level portal paths an organisation slug may not shadow (`/[org]` sits beside them). */
export const RESERVED_ORG_SLUGS = new Set([
  "api",
  "app",
  "invite",
  "signin",
  "signup",
  "signout",
  "sign-in",
  "sign-up",
  "login",
  "logout",
  "auth",
  "new",
  "settings",
  "account",
  "admin",
  "static",
  "public",
  "assets",
  "health",
  "docs",
  "help",
  "_next",
]);
/** Paths under `/[org]/` a project slug may not shadow. */
export const RESERVED_PROJECT_SLUGS = new Set(["settings", "new", "members", "audit", "projects", "api", "reports"]);

export const ZSlug = z
  .string()
  .trim()
  .min(SLUG_MIN, `Slugs are ${SLUG_MIN}–${SLUG_MAX} characters`)
  .max(SLUG_MAX, `Slugs are ${SLUG_MIN}–${SLUG_MAX} characters`)
  .regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, "Use lower-case letters, digits and single hyphens (not at the start or end)");

/** "Ada's Team ☕" → "adas-team": lower-case ASCII letters, digits and single hyphens, at most 48 long. */
export function slugify(name: string): string {
  return name
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/ß/g, "ss")
    .replace(/['’]/g, "")
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, SLUG_MAX)
    .replace(/-+$/g, "");
}

/** A base slug for `name` that passes ZSlug (padded with random characters when the name yields too little). */
export function baseSlug(name: string, fallback: string): string {
  const slug = slugify(name);
  if (slug.length >= SLUG_MIN) return slug;
  return `${slug || fallback}-${randomBytes(3).toString("hex")}`.replace(/^-/, "");
}

/**
 * The first free slug among `base`, `base-2`, `base-3`… (then a random suffix), given a lookup of
 * slugs already taken with that stem. Reserved words count as taken.
 */
export function pickFreeSlug(base: string, taken: ReadonlySet<string>, reserved: ReadonlySet<string>): string {
  const isFree = (s: string) => !taken.has(s) && !reserved.has(s);
  if (isFree(base)) return base;
  for (let n = 2; n < 100; n++) {
    const suffix = `-${n}`;
    const candidate = base.slice(0, SLUG_MAX - suffix.length).replace(/-+$/, "") + suffix;
    if (isFree(candidate)) return candidate;
  }
  const suffix = `-${randomBytes(4).toString("hex")}`;
  return base.slice(0, SLUG_MAX - suffix.length).replace(/-+$/, "") + suffix;
}
