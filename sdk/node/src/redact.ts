/**
 * Client-side redaction, applied before anything leaves the process (every sink and the
 * transport). The same default rules as the portal: values under secret-looking keys at any
 * depth (authorization, cookie, password, secret, token, api key, …) and Luhn-valid card
 * numbers in text; plus bearer tokens, JWTs and well-known API key shapes in text. `paths` adds
 * dotted paths (`user.ssn`, `*.email`) and `keys` adds key names.
 */
export const REDACTED = "[REDACTED]";

const EXACT_SENSITIVE = new Set([
  "authorization", "proxyauthorization", "cookie", "setcookie", "xapikey", "apikey", "token", "password",
  "passwd", "pwd", "secret", "credentials", "credential", "sessionid", "sessid", "privatekey", "xauthtoken",
  "xcsrftoken", "csrftoken", "xamzsecuritytoken", "clientsecret", "signature", "xsignature",
]);
const SUFFIX_SENSITIVE = /(password|passwd|secret|apikey|accesskey|token|privatekey|credentials?|sessionid|cookie|authorization)$/;

const normalizeKey = (key: string): string => key.toLowerCase().replace(/[^a-z0-9]/g, "");

/** Value shapes that are secrets wherever they appear. */
const SECRET_VALUES: RegExp[] = [
  /\bBearer\s+[A-Za-z0-9\-._~+/]{8,}=*/g,
  /\beyJ[A-Za-z0-9_-]{5,}\.eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}/g,
  /\bsk-(?:ant-|proj-)?[A-Za-z0-9_-]{16,}/g,
  /\bsl_(?:live|test|ingest|read)_[A-Za-z0-9_-]{16,}/g,
  /\b(?:AKIA|ASIA)[0-9A-Z]{16}\b/g,
  /\bgh[pousr]_[A-Za-z0-9]{30,}\b/g,
  /\bxox[abpr]-[A-Za-z0-9-]{10,}/g,
];
/** Cheap pre-test: only text containing one of these can match a rule above. */
const MAYBE_SECRET = /Bearer|eyJ|sk-|sl_|AKIA|ASIA|gh[pousr]_|xox/;
const CARD_CANDIDATE = /(?<![\d-])\d(?:[ -]?\d){12,18}(?!\d)/g;

/** Whether `value` holds at least `n` ASCII digits (a card number has 13 to 19): a loop, not a regex, on every string sent. */
function hasDigits(value: string, n: number): boolean {
  let count = 0;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c >= 48 && c <= 57 && ++count >= n) return true;
  }
  return false;
}

function luhnValid(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

/** Top-level fields of an event that are identifiers or times: never rewritten (as on the portal). */
const STRUCTURAL = new Set([
  "type", "id", "timestamp", "traceId", "spanId", "parentSpanId", "startTime", "endTime", "level", "kind", "status", "requestId",
  "durationMs", "method", "route", "service", "environment", "release", "provider", "model", "operation",
]);

export type RedactOptions = { keys?: string[]; paths?: string[] };

export type Redactor = {
  /** Text with secret-looking values replaced; the same string when nothing matched. */
  text(value: string): string;
  /** A redacted copy of `value` (the input is never modified); the same object when nothing changed. */
  value<T>(value: T): T;
  /** Like `value`, for a whole event: its top-level ids and times are left as they are. */
  event<T>(event: T): T;
  isSensitiveKey(key: string): boolean;
};

export function createRedactor(options: RedactOptions = {}): Redactor {
  const extraKeys = new Set((options.keys ?? []).map(normalizeKey));
  const paths = (options.paths ?? []).map((p) => p.split("."));
  // Keys repeat (header names, field names): decide each once. Bounded so hostile keys cannot grow it.
  const keyCache = new Map<string, boolean>();
  const isSensitiveKey = (key: string): boolean => {
    let hit = keyCache.get(key);
    if (hit === undefined) {
      const k = normalizeKey(key);
      hit = EXACT_SENSITIVE.has(k) || SUFFIX_SENSITIVE.test(k) || extraKeys.has(k);
      if (keyCache.size < 10_000) keyCache.set(key, hit);
    }
    return hit;
  };
  const text = (value: string): string => {
    // The shortest secret any rule matches is 13 characters (a card number).
    if (value.length < 13) return value;
    const maybeSecret = MAYBE_SECRET.test(value);
    const maybeCard = hasDigits(value, 13);
    if (!maybeSecret && !maybeCard) return value;
    let out = value;
    if (maybeSecret) {
      for (const re of SECRET_VALUES) {
        re.lastIndex = 0;
        if (re.test(out)) out = out.replace(re, REDACTED);
      }
    }
    if (!maybeCard) return out;
    out = out.replace(CARD_CANDIDATE, (m) => {
      const digits = m.replace(/[ -]/g, "");
      return digits.length >= 13 && digits.length <= 19 && luhnValid(digits) ? REDACTED : m;
    });
    return out;
  };
  const pathMatches = (trail: string[]): boolean =>
    paths.some((p) => p.length === trail.length && p.every((seg, i) => seg === "*" || seg === trail[i]));

  const walk = (value: unknown, trail: string[], depth: number, skipStructural = false): unknown => {
    if (typeof value === "string") return text(value);
    if (value === null || typeof value !== "object" || depth > 12) return value;
    if (value instanceof Date || Buffer.isBuffer(value)) return value;
    if (Array.isArray(value)) {
      let copy: unknown[] | null = null;
      for (let i = 0; i < value.length; i++) {
        const next = walk(value[i], trail, depth + 1);
        if (next !== value[i]) (copy ??= value.slice())[i] = next;
      }
      return copy ?? value;
    }
    let copy: Record<string, unknown> | null = null;
    const source = value as Record<string, unknown>;
    for (const key of Object.keys(source)) {
      const v = source[key];
      if (skipStructural && depth === 0 && STRUCTURAL.has(key)) continue;
      const here = paths.length ? [...trail, key] : trail;
      let next: unknown;
      if (v !== null && v !== undefined && (isSensitiveKey(key) || (paths.length > 0 && pathMatches(here)))) next = REDACTED;
      else next = walk(v, here, depth + 1);
      if (next !== v) (copy ??= { ...source })[key] = next;
    }
    return copy ?? value;
  };
  return { text, isSensitiveKey, value: <T>(v: T): T => walk(v, [], 0) as T, event: <T>(v: T): T => walk(v, [], 0, true) as T };
}

/** The default redactor, replaced by `init({ redact })`. */
export let redactor: Redactor = createRedactor();
export function setRedactor(r: Redactor): void {
  redactor = r;
}
