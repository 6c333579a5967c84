/**
 * The ingest bench's baseline: the same number of equivalent rows per table COPYed straight into the
 * tables (psql \copy), so events/s over HTTP can be set against the raw storage speed.
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { hex, makeEvent } from "./events";

const csv = (v: unknown): string => {
  if (v === null || v === undefined) return "";
  const s = typeof v === "string" ? v : JSON.stringify(v);
  return `"${s.replace(/"/g, '""')}"`;
};
type CopySpec = { table: string; columns: string[]; row: (e: Record<string, any>, projectId: string, n: number) => unknown[] };
const COPY: Record<string, CopySpec> = {
  log: {
    table: "logs",
    columns: [
      "project_id",
      "client_id",
      "time",
      "level",
      "message",
      "logger",
      "service",
      "environment",
      "release",
      "trace_id",
      "span_id",
      "user_id",
      "request_id",
      "attributes",
    ],
    row: (e, p, n) => [
      p,
      `copy-${n}`,
      e.timestamp,
      e.level,
      e.message,
      e.logger,
      e.service,
      e.environment,
      e.release,
      e.traceId,
      e.spanId,
      e.userId,
      e.requestId,
      e.attributes,
    ],
  },
  request: {
    table: "requests",
    columns: [
      "project_id",
      "client_id",
      "time",
      "method",
      "route",
      "path",
      "status",
      "duration_ms",
      "request_size",
      "response_size",
      "user_agent",
      "client_ip",
      "service",
      "environment",
      "release",
      "trace_id",
      "request_headers",
      "response_headers",
    ],
    row: (e, p, n) => [
      p,
      `copy-${n}`,
      e.timestamp,
      e.method,
      e.route,
      e.path,
      e.status,
      e.durationMs,
      e.requestSize,
      e.responseSize,
      e.userAgent,
      e.clientIp,
      e.service,
      e.environment,
      e.release,
      e.traceId,
      e.requestHeaders,
      e.responseHeaders,
    ],
  },
  span: {
    table: "spans",
    columns: [
      "project_id",
      "client_id",
      "trace_id",
      "span_id",
      "parent_span_id",
      "name",
      "kind",
      "start_time",
      "end_time",
      "duration_ms",
      "status",
      "service",
      "environment",
      "release",
      "attributes",
    ],
    row: (e, p, n) => [
      p,
      `copy-${n}`,
      e.traceId,
      `${e.spanId}${n}`,
      e.parentSpanId,
      e.name,
      e.kind,
      e.startTime,
      e.endTime,
      1,
      e.status,
      e.service,
      e.environment,
      e.release,
      e.attributes,
    ],
  },
  llm: {
    table: "llm_calls",
    columns: [
      "project_id",
      "client_id",
      "time",
      "provider",
      "model",
      "operation",
      "input_tokens",
      "cached_input_tokens",
      "output_tokens",
      "latency_ms",
      "ttft_ms",
      "status",
      "cost_usd",
      "cost_source",
      "user_id",
      "feature",
      "prompt",
      "completion",
      "service",
      "environment",
      "trace_id",
    ],
    row: (e, p, n) => [
      p,
      `copy-${n}`,
      e.timestamp,
      e.provider,
      e.model,
      e.operation,
      e.inputTokens,
      e.cachedInputTokens,
      e.outputTokens,
      e.latencyMs,
      e.timeToFirstTokenMs,
      "ok",
      "0.0056",
      "table",
      e.userId,
      e.feature,
      e.prompt,
      e.completion,
      e.service,
      e.environment,
      e.traceId,
    ],
  },
  error: {
    table: "error_events",
    columns: [
      "project_id",
      "client_id",
      "group_id",
      "time",
      "level",
      "type",
      "message",
      "title",
      "culprit",
      "service",
      "environment",
      "release",
      "trace_id",
      "exception",
      "tags",
      "user",
    ],
    row: (e, p, n) => [
      p,
      `copy-${n}`,
      "00000000-0000-5000-8000-000000000000",
      e.timestamp,
      e.level,
      e.exception.values[0].type,
      e.exception.values[0].value,
      e.exception.values[0].value,
      "x in y",
      e.service,
      e.environment,
      e.release,
      e.traceId,
      e.exception,
      e.tags,
      e.user,
    ],
  },
  metric: {
    table: "metric_points",
    columns: ["project_id", "client_id", "time", "name", "kind", "unit", "count", "sum", "min", "max", "buckets", "service", "environment", "attributes"],
    row: (e, p, n) => [
      p,
      `copy-${n}`,
      e.timestamp,
      e.name,
      e.kind,
      e.unit,
      e.count,
      e.sum,
      e.min,
      e.max,
      { bounds: e.explicitBounds, counts: e.bucketCounts },
      e.service,
      e.environment,
      e.attributes,
    ],
  },
  event: {
    table: "product_events",
    columns: ["project_id", "client_id", "time", "name", "user_id", "session_id", "service", "environment", "properties"],
    row: (e, p, n) => [p, `copy-${n}`, e.timestamp, e.name, e.userId, e.sessionId, e.service, e.environment, e.properties],
  },
};

export function copyRows(url: string, projectId: string, total: number): { rows: number; seconds: number } {
  const dir = path.join(os.tmpdir(), `sightline-bench-${hex(4)}`);
  mkdirSync(dir, { recursive: true });
  const now = Date.now();
  const byType = new Map<string, string[]>();
  for (let i = 0; i < total; i++) {
    const e = makeEvent(i, now);
    const spec = COPY[e.type as string]!;
    const lines = byType.get(spec.table) ?? [];
    lines.push(spec.row(e, projectId, i).map(csv).join(","));
    byType.set(spec.table, lines);
  }
  const commands: string[] = [];
  for (const spec of Object.values(COPY)) {
    const lines = byType.get(spec.table);
    if (!lines) continue;
    const file = path.join(dir, `${spec.table}.csv`);
    writeFileSync(file, lines.join("\n") + "\n");
    commands.push(`\\copy "${spec.table}" (${spec.columns.map((c) => `"${c}"`).join(", ")}) FROM '${file}' WITH (FORMAT csv)`);
  }
  const script = path.join(dir, "copy.sql");
  writeFileSync(script, commands.join("\n") + "\n");
  const started = process.hrtime.bigint();
  execFileSync("psql", ["-v", "ON_ERROR_STOP=1", "-q", "-d", url, "-f", script], { stdio: ["ignore", "ignore", "inherit"] });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  rmSync(dir, { recursive: true, force: true });
  return { rows: total, seconds };
}
