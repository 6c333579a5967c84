/**
 * What is rolled up: for each rollup table, the raw rows it folds (normalised to the column names
 * of the rollup), its dimensions, its summable measures and its sketches. The rollup job and the
 * dashboard reads are both generated from these specs, so they cannot disagree.
 */
import { GRAINS, type Grain } from "./buckets";

export type RollupSpec = {
  table: string;
  grains: readonly Grain[];
  /** Dimension columns (same name in the rollup table and in the normalised raw rows). */
  dims: readonly string[];
  /** Measure column → aggregate over raw rows, and how rollup rows merge (sum or max). */
  measures: Record<string, { raw: string; merge: "sum" | "max" }>;
  /** Sketch name → numeric raw column; stored as `<name>_bins` / `<name>_counts`. */
  sketches: Record<string, string>;
  /**
   * A key column that precedes `grain` in the table's primary key, with every value it takes: the
   * job's deletes name them all so they can use the key instead of reading the project's rows.
   */
  leadingKey?: { column: string; values: readonly string[] };
  /**
   * Dims whose list filters (`dim = ANY(…)`) an index led by the dim serves; other lists are kept out
   * of index conditions (see filterSql).
   */
  listIndexed?: readonly string[];
  /** The raw rows as a subquery with `time`, the dims and the value columns; `where` scopes it. */
  raw: (where: (timeColumn: string) => string) => string;
};

const env = `coalesce(environment, '') AS environment`;

/** Requests per endpoint: counts, durations and a latency sketch per (route, method, service, environment). */
export const REQUESTS: RollupSpec = {
  table: "rollup_requests",
  grains: GRAINS,
  dims: ["route", "method", "service", "environment"],
  measures: {
    count: { raw: "count(*)", merge: "sum" },
    error_count: { raw: "count(*) FILTER (WHERE status >= 500)", merge: "sum" },
    // Exact (numeric, each duration to the microsecond): a float sum would depend on the order of
    // additions, and merged rollups would differ from raw rows in the last digit.
    duration_sum: { raw: "coalesce(sum(round(duration_ms::numeric, 3)), 0)", merge: "sum" },
    duration_max: { raw: "max(duration_ms)", merge: "max" },
  },
  sketches: { duration: "duration_ms" },
  raw: (where) => `SELECT time, coalesce(left(route, 512), '') AS route, method, (status / 100)::smallint AS status_class,
    coalesce(service, '') AS service, ${env}, status, duration_ms FROM requests WHERE ${where("time")}`,
};

/** Requests per endpoint across services and environments: the endpoints table when neither is filtered. */
export const ENDPOINTS: RollupSpec = {
  ...REQUESTS,
  table: "rollup_endpoints",
  dims: ["route", "method"],
};

/** Requests per endpoint and status class, without sketches: the status-class breakdown. */
export const REQUEST_STATUSES: RollupSpec = {
  ...REQUESTS,
  table: "rollup_request_statuses",
  dims: ["route", "method", "status_class", "service", "environment"],
  sketches: {},
};

/** The same requests without endpoint dimensions: few rows per bucket for totals and time series. */
const REQUEST_TOTALS: RollupSpec = {
  ...REQUESTS,
  table: "rollup_request_totals",
  dims: ["service", "environment"],
};

/**
 * The spec among `candidates` (fewest rows first, widest last) whose dimensions cover the filters
 * that apply to this data (those on a dimension of the widest).
 */
function narrowest(candidates: readonly RollupSpec[], filters: Record<string, unknown>): RollupSpec {
  const widest = candidates[candidates.length - 1]!;
  const needed = Object.keys(filters).filter((k) => filters[k] !== undefined && widest.dims.includes(k));
  return candidates.find((spec) => needed.every((d) => spec.dims.includes(d))) ?? widest;
}

/** The request spec that serves these filters with the fewest rows (totals and series). */
export const requestsFor = (filters: Record<string, unknown>) => narrowest([REQUEST_TOTALS, ENDPOINTS, REQUESTS], filters);
/** The request spec for per-endpoint reads under these filters. */
export const endpointsFor = (filters: Record<string, unknown>) => narrowest([ENDPOINTS, REQUESTS], filters);

export const LLM: RollupSpec = {
  table: "rollup_llm",
  grains: GRAINS,
  dims: ["model", "provider", "feature", "environment"],
  measures: {
    calls: { raw: "count(*)", merge: "sum" },
    error_count: { raw: "count(*) FILTER (WHERE status <> 'ok')", merge: "sum" },
    input_tokens: { raw: "coalesce(sum(input_tokens), 0)", merge: "sum" },
    cached_input_tokens: { raw: "coalesce(sum(cached_input_tokens), 0)", merge: "sum" },
    cache_write_tokens: { raw: "coalesce(sum(cache_write_tokens), 0)", merge: "sum" },
    output_tokens: { raw: "coalesce(sum(output_tokens), 0)", merge: "sum" },
    reasoning_tokens: { raw: "coalesce(sum(reasoning_tokens), 0)", merge: "sum" },
    cost_usd: { raw: "coalesce(sum(cost_usd), 0)", merge: "sum" },
  },
  sketches: { latency: "latency_ms", ttft: "ttft_ms" },
  raw: (where) => `SELECT time, model, coalesce(provider, '') AS provider, coalesce(feature, '') AS feature, ${env},
    status, input_tokens, cached_input_tokens, cache_write_tokens, output_tokens, reasoning_tokens, cost_usd, latency_ms, ttft_ms
    FROM llm_calls WHERE ${where("time")}`,
};

export const ERRORS: RollupSpec = {
  table: "rollup_errors",
  grains: GRAINS,
  dims: ["group_id", "environment", "release"],
  measures: { count: { raw: "count(*)", merge: "sum" } },
  sketches: {},
  raw: (where) => `SELECT time, group_id, ${env}, coalesce(release, '') AS release FROM error_events WHERE ${where("time")}`,
};

/** Tag values of error events per group: the tag breakdown of a group over any range, exact. */
export const ERROR_TAGS: RollupSpec = {
  table: "rollup_error_tags",
  grains: GRAINS,
  dims: ["group_id", "environment", "release", "key", "value"],
  measures: { count: { raw: "count(*)", merge: "sum" } },
  sketches: {},
  raw: (where) => `SELECT e.time, e.group_id, coalesce(e.environment, '') AS environment, coalesce(e.release, '') AS release,
      left(t.key, 256) AS key, left(t.value, 256) AS value
    FROM error_events e CROSS JOIN LATERAL jsonb_each_text(e.tags) AS t(key, value)
    WHERE ${where("e.time")} AND jsonb_typeof(e.tags) = 'object'`,
};

export const PRODUCT_EVENTS: RollupSpec = {
  table: "rollup_product_events",
  grains: GRAINS,
  dims: ["name", "environment"],
  measures: { count: { raw: "count(*)", merge: "sum" } },
  sketches: {},
  raw: (where) => `SELECT time, name, ${env} FROM product_events WHERE ${where("time")}`,
};

/**
 * One row per user, bucket and kind: exact distinct users. 'active' (any request, LLM call or
 * product event) serves DAU/WAU; 'request'/'llm' top users; 'event' (key = event name) feature
 * users; 'error' (key = group id) users affected.
 */
export const USERS: RollupSpec = {
  table: "rollup_users",
  grains: GRAINS,
  dims: ["kind", "key", "environment", "release", "user_id"],
  leadingKey: { column: "kind", values: ["active", "request", "llm", "event", "error"] },
  // The top users' series on the LLM page: rollup_users_llm_user_idx (project_id, grain, user_id, bucket_start) WHERE kind = 'llm'.
  listIndexed: ["user_id"],
  measures: {
    count: { raw: "count(*)", merge: "sum" },
    cost_usd: { raw: "coalesce(sum(cost), 0)", merge: "sum" },
  },
  sketches: {},
  raw: (where) => `(
    SELECT time, 'active'::text AS kind, ''::text AS key, ${env}, ''::text AS release, user_id, NULL::numeric AS cost
      FROM requests WHERE user_id IS NOT NULL AND ${where("time")}
    UNION ALL
    SELECT time, 'active', '', ${env}, '', user_id, NULL FROM llm_calls WHERE user_id IS NOT NULL AND ${where("time")}
    UNION ALL
    SELECT time, 'active', '', ${env}, '', user_id, NULL FROM product_events WHERE user_id IS NOT NULL AND ${where("time")}
    UNION ALL
    SELECT time, 'request'::text AS kind, ''::text AS key, ${env}, ''::text AS release, user_id, NULL::numeric AS cost
      FROM requests WHERE user_id IS NOT NULL AND ${where("time")}
    UNION ALL
    SELECT time, 'llm', '', ${env}, '', user_id, cost_usd FROM llm_calls WHERE user_id IS NOT NULL AND ${where("time")}
    UNION ALL
    SELECT time, 'event', name, ${env}, '', user_id, NULL FROM product_events WHERE user_id IS NOT NULL AND ${where("time")}
    UNION ALL
    SELECT time, 'error', group_id::text, ${env}, coalesce(release, ''), user_id, NULL FROM error_events
      WHERE user_id IS NOT NULL AND ${where("time")}
  )`,
};

export const SPECS: readonly RollupSpec[] = [REQUESTS, ENDPOINTS, REQUEST_STATUSES, REQUEST_TOTALS, LLM, ERRORS, ERROR_TAGS, PRODUCT_EVENTS, USERS];

/** Raw tables whose received_at marks late rows (and so dirty buckets). */
export const SOURCE_TABLES = ["requests", "llm_calls", "error_events", "product_events", "metric_points"] as const;
