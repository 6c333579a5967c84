/**
 * Error fingerprinting as Sentry does it (src/sentry/grouping): an explicit fingerprint wins
 * (`{{ default }}` expands to the default components); otherwise each exception in the chain
 * contributes its stack trace (module or lower-cased file basename + normalised function, in-app
 * frames when there are any, no line/column numbers, recursion collapsed) and its type; the
 * value counts only when no frame contributes. Without any exception the message template does.
 */
import { createHash } from "node:crypto";
import { normalizeMessage } from "./normalize-message";

/**
 * What grouping reads of an error event, Sentry-shaped. Declared here (the validated events of
 * ingest/schemas.ts satisfy them) so grouping does not depend on the ingest pipeline that calls it.
 */
export type StackFrame = {
  filename?: string;
  function?: string;
  module?: string;
  lineno?: number;
  colno?: number;
  abs_path?: string;
  in_app?: boolean;
};
export type ExceptionValue = { type?: string; value?: string; module?: string; stacktrace?: { frames: StackFrame[] } };
type ErrorEvent = { exception?: { values: ExceptionValue[] }; message?: string; fingerprint?: string[] };

export type Fingerprint = {
  /** sha256 hex of the components: the group key within a project. */
  hash: string;
  /** What went into the hash, for "why did these group together" in the UI. */
  parts: string[];
  title: string;
  culprit: string | null;
  type: string | null;
};

const DEFAULT_MARKER = /^\{\{\s*default\s*\}\}$/;

/** `Obj.foo` → `foo`, `async Foo.bar [as baz]` → `bar`, `new Thing` → `Thing`, `<anonymous>` → `?`. */
export function normalizeFunctionName(name: string | undefined): string {
  if (!name) return "?";
  let fn = name
    .trim()
    .replace(/\s*\[as [^\]]+\]$/, "")
    .replace(/^(async|new)\s+/, "");
  fn = fn.replace(/\/<+$/, "").replace(/<\/?$/, "");
  const segments = fn.split(/\.|::/).filter(Boolean);
  const last = segments[segments.length - 1];
  return !last || /^<?anonymous>?$/.test(last) ? "?" : last;
}

/** Lower-cased basename without query, hash or build-hash segments (`main.3f2a9c1b.js` → `main.<hash>.js`). */
export function frameFile(frame: StackFrame): string | null {
  const path = frame.filename ?? frame.abs_path;
  if (!path) return null;
  const clean = path.split(/[?#]/)[0]!;
  const base = clean.split(/[\\/]/).pop() ?? clean;
  return base.toLowerCase().replace(/(?=[0-9a-f]*\d)[0-9a-f]{8,}/g, "<hash>") || null;
}

function frameComponent(frame: StackFrame): string | null {
  const where = frame.module?.trim() || frameFile(frame);
  const fn = normalizeFunctionName(frame.function);
  if (!where && fn === "?") return null;
  return `${where ?? "?"}:${fn}`;
}

function contributingFrames(frames: StackFrame[]): StackFrame[] {
  const inApp = frames.filter((f) => f.in_app === true);
  return inApp.length ? inApp : frames;
}

function stackComponents(exception: ExceptionValue): string[] {
  const frames = contributingFrames(exception.stacktrace?.frames ?? []);
  const out: string[] = [];
  let previous: string | null = null;
  for (const frame of frames) {
    const component = frameComponent(frame);
    if (!component) continue;
    const identity = `${component}@${frame.lineno ?? ""}`;
    if (identity === previous) continue;
    previous = identity;
    out.push(component);
  }
  return out;
}

function defaultComponents(event: Pick<ErrorEvent, "exception" | "message">): string[] {
  const values = event.exception?.values ?? [];
  if (values.length === 0) return [`message:${normalizeMessage(event.message ?? "")}`];
  const parts: string[] = [];
  for (const exception of values) {
    const frames = stackComponents(exception);
    parts.push(`type:${exception.type ?? "Error"}`);
    if (frames.length) parts.push(...frames.map((f) => `frame:${f}`));
    else parts.push(`value:${normalizeMessage(exception.value ?? "")}`);
  }
  return parts;
}

function culpritOf(values: ExceptionValue[]): string | null {
  const last = values[values.length - 1];
  const frames = last?.stacktrace?.frames ?? [];
  const inApp = frames.filter((f) => f.in_app === true);
  const frame = (inApp.length ? inApp : frames).at(-1);
  if (!frame) return null;
  const where = frame.module ?? frame.filename ?? frame.abs_path ?? "?";
  return `${where} in ${frame.function ?? "?"}`.slice(0, 1024);
}

export function computeFingerprint(event: Pick<ErrorEvent, "exception" | "message" | "fingerprint">): Fingerprint {
  const values = event.exception?.values ?? [];
  const parts = event.fingerprint
    ? event.fingerprint.flatMap((p) => (DEFAULT_MARKER.test(p) ? defaultComponents(event) : [`custom:${p}`]))
    : defaultComponents(event);
  const hash = createHash("sha256").update(parts.join("\n")).digest("hex");
  const main = values[values.length - 1];
  const type = main?.type ?? null;
  const text = main ? `${main.type ?? "Error"}: ${main.value ?? event.message ?? ""}` : (event.message ?? "Error");
  return { hash, parts, title: text.slice(0, 1024), culprit: culpritOf(values), type };
}

/** The group id is a function of project and fingerprint, so events carry it without a lookup. */
export function groupIdFor(projectId: string, fingerprintHash: string): string {
  const h = createHash("sha256").update(`${projectId}:${fingerprintHash}`).digest();
  h[6] = (h[6]! & 0x0f) | 0x50;
  h[8] = (h[8]! & 0x3f) | 0x80;
  const x = h.subarray(0, 16).toString("hex");
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20, 32)}`;
}
