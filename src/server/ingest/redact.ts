/**
 * Server-side redaction, applied to every event before anything is stored (batch API and OTLP
 * alike). Default rules: values under sensitive keys (authorization, cookie, password, secret,
 * token, api key and friends) at any depth, and card numbers (Luhn-valid 13–19 digits) in any
 * text. Project rules add key names and regular expressions. Redacted values become
 * "[REDACTED]"; the labels of the rules that fired are returned so the row can say so.
 */
import { compileUserPattern, type UserPattern } from "../patterns/user-pattern";

export const REDACTED = "[REDACTED]";

export type RedactionRuleInput = { id: string; kind: "key" | "pattern"; pattern: string };

export type CompiledRedaction = {
  keys: Map<string, string>;
  patterns: { label: string; pattern: UserPattern }[];
};

const EXACT_SENSITIVE = new Set([
  "authorization",
  "proxyauthorization",
  "cookie",
  "setcookie",
  "xapikey",
  "apikey",
  "token",
  "password",
  "passwd",
  "pwd",
  "secret",
  "credentials",
  "credential",
  "sessionid",
  "sessid",
  "privatekey",
  "xauthtoken",
  "xcsrftoken",
  "csrftoken",
  "xamzsecuritytoken",
  "clientsecret",
  "signature",
  "xsignature",
]);
const SUFFIX_SENSITIVE = /(password|passwd|secret|apikey|accesskey|token|privatekey|credentials?|sessionid|cookie|authorization)$/;

function normalizeKey(key: string): string {
  return key.toLowerCase().replace(/[^a-z0-9]/g, "");
}

export function isDefaultSensitiveKey(key: string): boolean {
  const k = normalizeKey(key);
  return EXACT_SENSITIVE.has(k) || SUFFIX_SENSITIVE.test(k);
}

const CARD_CANDIDATE = /(?<![\d-])\d(?:[ -]?\d){12,18}(?![\d])/g;

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

/** Replaces Luhn-valid card numbers; returns the input unchanged (same string) when none. */
export function redactCardNumbers(text: string): string {
  if (!/\d{4}/.test(text)) return text;
  return text.replace(CARD_CANDIDATE, (match) => {
    const digits = match.replace(/[ -]/g, "");
    return digits.length >= 13 && digits.length <= 19 && luhnValid(digits) ? REDACTED : match;
  });
}

export function compileRedactionRules(rules: RedactionRuleInput[]): CompiledRedaction {
  const keys = new Map<string, string>();
  const patterns: CompiledRedaction["patterns"] = [];
  for (const rule of rules) {
    if (rule.kind === "key") keys.set(normalizeKey(rule.pattern), `rule:${rule.id}`);
    else {
      try {
        patterns.push({ label: `rule:${rule.id}`, pattern: compileUserPattern(rule.pattern) });
      } catch {
        continue; // refused when saved; a rule stored before that check is skipped rather than sinking ingest
      }
    }
  }
  return { keys, patterns };
}

/** Top-level fields that are identifiers or times: never rewritten. */
const STRUCTURAL = new Set(["type", "id", "timestamp", "traceId", "spanId", "parentSpanId", "startTime", "endTime", "level", "kind", "status"]);

/** Recorded on a row whose values held characters Postgres cannot store (see `storable`). */
const SANITIZED = "sanitized:unstorable-characters";

/**
 * `value` as Postgres can store it: NUL removed (text and jsonb cannot hold it) and lone UTF-16
 * surrogates replaced by U+FFFD (they have no UTF-8 form). Returns the same string when clean.
 */
function storable(value: string): string {
  if (!value.includes("\u0000") && value.isWellFormed()) return value;
  return value.replaceAll("\u0000", "").toWellFormed();
}

/**
 * Redacts `event` IN PLACE (it is the pipeline's own parsed copy) and makes every string and key
 * storable (`storable`), ids and times included, so one such value never fails its batch's write.
 * Iterative, so depth costs no stack.
 */
export function redactEvent(event: Record<string, unknown>, rules: CompiledRedaction): string[] {
  const fired = new Set<string>();
  const clean = (value: string): string => {
    const out = storable(value);
    if (out !== value) fired.add(SANITIZED);
    return out;
  };
  const text = (value: string): string => {
    let out = clean(value);
    const carded = redactCardNumbers(out);
    if (carded !== out) {
      fired.add("default:card-number");
      out = carded;
    }
    for (const { label, pattern } of rules.patterns) {
      if (pattern.test(out)) {
        out = pattern.replaceAll(out, REDACTED);
        fired.add(label);
      }
    }
    return out;
  };
  const keyRule = (key: string): string | null => {
    const own = rules.keys.get(normalizeKey(key));
    if (own) return own;
    return isDefaultSensitiveKey(key) ? "default:sensitive-key" : null;
  };

  const stack: (Record<string, unknown> | unknown[])[] = [event];
  let top = true;
  while (stack.length) {
    const container = stack.pop()! as Record<string | number, unknown>;
    const keys: (string | number)[] = Array.isArray(container) ? container.map((_, i) => i) : Object.keys(container);
    for (let key of keys) {
      const value = container[key];
      if (typeof key === "string") {
        const cleanKey = clean(key);
        if (cleanKey !== key) {
          delete container[key];
          container[cleanKey] = value;
          key = cleanKey;
        }
        if (top && STRUCTURAL.has(key)) {
          if (typeof value === "string") container[key] = clean(value);
          continue;
        }
        const rule = top ? (rules.keys.get(normalizeKey(key)) ?? null) : keyRule(key);
        if (rule && value !== null && value !== undefined) {
          container[key] = REDACTED;
          fired.add(rule);
          continue;
        }
      }
      if (typeof value === "string") {
        const out = text(value);
        if (out !== value) container[key] = out;
      } else if (value !== null && typeof value === "object") {
        stack.push(value as Record<string, unknown>);
      }
    }
    top = false;
  }
  return [...fired].sort();
}
