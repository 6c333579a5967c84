/**
 * The kinds of data retention applies to, and where each lives. Raw kinds are one event table each,
 * archived row by row before deletion; `rollups` are the hour, six-hour, day and week buckets of every
 * rollup table (minute buckets and sliding windows keep their own short life in the rollup job,
 * src/server/rollup/buckets.ts RETENTION_MS). The audit log is no kind: retention never deletes it.
 */
import { z } from "zod";

export const RAW_KINDS = ["logs", "requests", "error_events", "llm_calls", "spans", "metrics", "product_events"] as const;
export const RETENTION_KINDS = [...RAW_KINDS, "rollups"] as const;
export type RawKind = (typeof RAW_KINDS)[number];
export type RetentionKind = (typeof RETENTION_KINDS)[number];

export const ZRetentionKind = z.enum(RETENTION_KINDS, { error: `kind must be one of ${RETENTION_KINDS.join(", ")}` });
export const ZRawKind = z.enum(RAW_KINDS, { error: `kind must be one of ${RAW_KINDS.join(", ")}` });

/** Table and time column of each raw kind. Both are fixed strings spliced into SQL, never input. */
export const RAW_TABLES: Record<RawKind, { table: string; time: string }> = {
  logs: { table: "logs", time: "time" },
  requests: { table: "requests", time: "time" },
  error_events: { table: "error_events", time: "time" },
  llm_calls: { table: "llm_calls", time: "time" },
  spans: { table: "spans", time: "start_time" },
  metrics: { table: "metric_points", time: "time" },
  product_events: { table: "product_events", time: "time" },
};

/**
 * How long ingest's claims of client ids (`ingest_client_ids`, src/server/ingest/write.ts) are kept:
 * the window in which a retry is recognised whatever its timestamp. The retention job prunes them.
 */
export const DEDUPE_WINDOW_DAYS = 7;

/** Rollup grains the `rollups` policy governs (the others are pruned by the rollup job itself). */
export const POLICY_ROLLUP_GRAINS = ["hour", "6h", "day", "week"] as const;

export const MIN_RETENTION_DAYS = 1;
export const MAX_RETENTION_DAYS = 3650;
export const KIND_LABELS: Record<RetentionKind, string> = {
  logs: "Logs",
  requests: "Requests",
  error_events: "Error events",
  llm_calls: "LLM calls",
  spans: "Spans",
  metrics: "Metrics",
  product_events: "Product events",
  rollups: "Rollups (hour and longer)",
};
