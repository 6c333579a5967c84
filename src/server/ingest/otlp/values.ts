/**
 * Conversions from OTLP's wire values (after protobuf decoding or JSON parsing, which share one
 * shape) to plain JavaScript: AnyValue → JSON value, KeyValue[] → record, ids → lower-case hex,
 * nanosecond timestamps → epoch milliseconds. Pure functions, no I/O.
 */

import { MAX_ATTRIBUTE_DEPTH } from "../schemas";

/**
 * Attribute values nested deeper than this become a placeholder string instead of recursing
 * further; one less than the ingest limit because the attribute map itself is the first level.
 */
const MAX_ANY_VALUE_DEPTH = MAX_ATTRIBUTE_DEPTH - 1;
export const TOO_DEEP = "[nested too deep]";

type Json = string | number | boolean | null | Json[] | { [key: string]: Json };

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** A 64-bit integer sent as a decimal string (OTLP/JSON) or a number: a number when it is exact, else the string. */
function int64ToJs(value: unknown): number | string | null {
  if (typeof value === "number") return Number.isFinite(value) ? Math.trunc(value) : null;
  if (typeof value === "string" && /^-?\d+$/.test(value)) {
    const n = Number(value);
    return Number.isSafeInteger(n) ? n : value;
  }
  return null;
}

/** A double, including OTLP/JSON's "NaN"/"Infinity" strings, which become null (JSON cannot hold them). */
function doubleToJs(value: unknown): number | null {
  const n = typeof value === "string" ? Number(value) : value;
  return typeof n === "number" && Number.isFinite(n) ? n : null;
}

/** OTLP AnyValue → JSON value. Unknown or empty values become null. */
export function anyValueToJs(value: unknown, depth = 0): Json {
  if (!isObject(value)) return null;
  if (depth >= MAX_ANY_VALUE_DEPTH) return TOO_DEEP;
  if (typeof value.stringValue === "string") return value.stringValue;
  if (typeof value.boolValue === "boolean") return value.boolValue;
  if (value.intValue !== undefined && value.intValue !== null) return int64ToJs(value.intValue);
  if (value.doubleValue !== undefined && value.doubleValue !== null) return doubleToJs(value.doubleValue);
  if (isObject(value.arrayValue)) {
    const values = Array.isArray(value.arrayValue.values) ? value.arrayValue.values : [];
    return values.map((v) => anyValueToJs(v, depth + 1));
  }
  if (isObject(value.kvlistValue)) return keyValuesToRecord(value.kvlistValue.values, depth + 1);
  if (typeof value.bytesValue === "string") return value.bytesValue;
  return null;
}

/** OTLP KeyValue[] → record. Later duplicates win; entries without a string key are skipped. */
export function keyValuesToRecord(list: unknown, depth = 0): Record<string, Json> {
  const out: Record<string, Json> = {};
  if (!Array.isArray(list)) return out;
  for (const kv of list) {
    if (isObject(kv) && typeof kv.key === "string" && kv.key !== "") out[kv.key] = anyValueToJs(kv.value, depth);
  }
  return out;
}

const HEX = /^[0-9a-fA-F]*$/;

/**
 * A trace id (16 bytes) or span id (8 bytes) → lower-case hex, or undefined when absent, empty
 * or all zero (OTLP's "no id"). OTLP/JSON says hex; some exporters send base64 (and protobuf
 * decoding yields base64): the length tells them apart, as 16 bytes are 32 hex or 24 base64 chars.
 */
export function normaliseId(value: unknown, bytes: 8 | 16): string | undefined {
  if (typeof value !== "string" || value === "") return undefined;
  let hex: string | undefined;
  if (value.length === bytes * 2 && HEX.test(value)) hex = value.toLowerCase();
  else {
    const decoded = Buffer.from(value, "base64");
    if (decoded.length === bytes) hex = decoded.toString("hex");
  }
  return hex && !/^0+$/.test(hex) ? hex : undefined;
}

/** Nanoseconds since the epoch (string or number) → epoch milliseconds with sub-millisecond fraction; 0/absent → undefined. */
export function nanosToEpochMs(value: unknown): number | undefined {
  if (typeof value === "number") return value > 0 ? value / 1e6 : undefined;
  if (typeof value !== "string" || !/^\d+$/.test(value)) return undefined;
  const ns = BigInt(value);
  if (ns === 0n) return undefined;
  const wholeMs = ns / 1_000_000n;
  return Number(wholeMs) + Number(ns - wholeMs * 1_000_000n) / 1e6;
}

/** Reads the first present string attribute among `keys`. */
export function firstString(attrs: Record<string, Json>, ...keys: string[]): string | undefined {
  for (const key of keys) {
    const v = attrs[key];
    if (typeof v === "string" && v !== "") return v;
    if (typeof v === "number" || typeof v === "boolean") return String(v);
  }
  return undefined;
}

/** Reads the first present non-negative integer attribute among `keys` (numbers or numeric strings). */
export function firstCount(attrs: Record<string, Json>, ...keys: string[]): number | undefined {
  for (const key of keys) {
    const v = attrs[key];
    const n = typeof v === "string" && /^\d+$/.test(v) ? Number(v) : v;
    if (typeof n === "number" && Number.isFinite(n) && n >= 0) return Math.round(n);
  }
  return undefined;
}

/** Reads the first present finite number attribute among `keys`. */
export function firstNumber(attrs: Record<string, Json>, ...keys: string[]): number | undefined {
  for (const key of keys) {
    const v = attrs[key];
    const n = typeof v === "string" && v.trim() !== "" ? Number(v) : v;
    if (typeof n === "number" && Number.isFinite(n)) return n;
  }
  return undefined;
}

export type { Json };
