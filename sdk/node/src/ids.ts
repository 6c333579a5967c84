/** Random ids: W3C trace ids (16 bytes) and span ids (8 bytes) as lower-case hex, and client event ids. */
import { randomBytes, randomUUID } from "node:crypto";

/** Pool of random bytes refilled 4 KiB at a time: one syscall per ~170 span ids instead of one each. */
let pool = Buffer.alloc(0);
let offset = 0;

function hex(bytes: number): string {
  if (offset + bytes > pool.length) {
    pool = randomBytes(4096);
    offset = 0;
  }
  const out = pool.toString("hex", offset, offset + bytes);
  offset += bytes;
  return /^0+$/.test(out) ? hex(bytes) : out;
}

export const newTraceId = (): string => hex(16);
export const newSpanId = (): string => hex(8);
/**
 * The client id that makes a retried batch idempotent on the portal: a random per-process
 * prefix (96 bits) and a counter — unique per project like a UUID, at a fraction of the cost.
 */
const processPrefix = randomBytes(12).toString("base64url");
let counter = 0;
export const newEventId = (): string => `${processPrefix}.${(counter++).toString(36)}`;
/** A request id for responses (`x-request-id`): a UUID, as load balancers and log tools expect. */
export const newRequestId = (): string => randomUUID();

export type TraceParent = { traceId: string; parentSpanId: string; sampled: boolean };

const TRACEPARENT = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})(?:-.*)?$/;

/** Parses a W3C `traceparent`; null for malformed values, version ff, or all-zero ids. */
export function parseTraceparent(header: string | string[] | null | undefined): TraceParent | null {
  const value = Array.isArray(header) ? header[0] : header;
  if (!value) return null;
  const m = TRACEPARENT.exec(value.trim().toLowerCase());
  if (!m) return null;
  const [, version, traceId, parentSpanId, flags] = m as unknown as [string, string, string, string, string];
  if (version === "ff" || (version === "00" && value.trim().length !== 55)) return null;
  if (/^0+$/.test(traceId) || /^0+$/.test(parentSpanId)) return null;
  return { traceId, parentSpanId, sampled: (parseInt(flags, 16) & 1) === 1 };
}

export function formatTraceparent(traceId: string, spanId: string, sampled = true): string {
  return `00-${traceId}-${spanId}-${sampled ? "01" : "00"}`;
}
