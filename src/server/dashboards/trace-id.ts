import type { SqlParams } from "@/server/db/sql";

/**
 * The condition every read uses to match a trace id: the id as sent and its lower-case form (OTLP
 * exporters send lower-case hex; a W3C id pasted from a header or a log may differ only in case).
 */
export function traceIdIn(p: SqlParams, column: string, traceId: string): string {
  return `${column} = ANY(${p.add(traceIdVariants(traceId))}::text[])`;
}

export function traceIdVariants(traceId: string): string[] {
  return [...new Set([traceId, traceId.toLowerCase()])];
}
