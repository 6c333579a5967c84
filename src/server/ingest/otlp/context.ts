/**
 * What every mapped event shares: the resource's service/environment/release, deterministic client
 * ids (so an exporter's retry is acknowledged, not stored twice), and attribute maps trimmed to fit
 * the ingest limits instead of sinking a whole span because one attribute is huge.
 */
import { createHash } from "node:crypto";
import { attributeProblem } from "../schemas";
import { firstString, keyValuesToRecord, type Json } from "./values";
import type { OtlpResource } from "./schemas";

export type ResourceContext = { service?: string; environment?: string; release?: string };

/** `service.name`, `deployment.environment.name` (or the older `deployment.environment`), `service.version`. */
export function resourceContext(resource: OtlpResource): ResourceContext {
  const attrs = keyValuesToRecord(resource?.attributes);
  const service = firstString(attrs, "service.name");
  const environment = firstString(attrs, "deployment.environment.name", "deployment.environment");
  const release = firstString(attrs, "service.version");
  return {
    ...(service ? { service: service.slice(0, 256) } : {}),
    ...(environment ? { environment: environment.slice(0, 64) } : {}),
    ...(release ? { release: release.slice(0, 256) } : {}),
  };
}

/** A stable id from the parts that identify an OTLP item: same item, same id, on every retry. */
export function otlpClientId(kind: string, ...parts: unknown[]): string {
  return `otlp-${kind}-${createHash("sha256").update(JSON.stringify(parts)).digest("hex").slice(0, 40)}`;
}

const TRUNCATED_KEY = "sightline.truncated_attributes";
const MAX_VALUE_CHARS = 4096;

/**
 * Returns the attributes unchanged when they fit the ingest limits; otherwise shortens long
 * strings, then drops the largest values, and lists the dropped keys under
 * `sightline.truncated_attributes` so nobody mistakes a trimmed map for the original.
 */
export function fitAttributes(attrs: Record<string, Json>): Record<string, Json> | undefined {
  if (Object.keys(attrs).length === 0) return undefined;
  if (!attributeProblem(attrs)) return attrs;
  const out: Record<string, Json> = {};
  for (const [k, v] of Object.entries(attrs)) {
    out[k] = typeof v === "string" && v.length > MAX_VALUE_CHARS ? `${v.slice(0, MAX_VALUE_CHARS)}…` : v;
  }
  const dropped: string[] = [];
  const bySize = Object.entries(out)
    .map(([k, v]) => [k, typeof v === "string" ? v.length : JSON.stringify(v).length] as const)
    .sort((a, b) => b[1] - a[1]);
  for (const [key] of bySize) {
    if (!attributeProblem({ ...out, [TRUNCATED_KEY]: dropped })) break;
    delete out[key];
    dropped.push(key);
  }
  if (dropped.length) out[TRUNCATED_KEY] = dropped.slice(0, 64);
  return attributeProblem(out) ? { [TRUNCATED_KEY]: [`${Object.keys(attrs).length} attributes over the limits`] } : out;
}
