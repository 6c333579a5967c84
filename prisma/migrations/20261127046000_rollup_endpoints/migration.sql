-- Requests per endpoint across services and environments (the endpoints table and its latency
-- sketches when neither is filtered: half the rows or fewer to merge than rollup_requests), and a
-- 'week' grain for every rollup table plus a 'minute' grain for rollup_users (both chosen with
-- `npm run bench:queries`). Rollups are derived data: emptied, with their watermarks, so the next
-- run of the rollup job refolds everything with the new grains.
TRUNCATE "rollup_requests", "rollup_request_statuses", "rollup_request_totals", "rollup_llm", "rollup_errors",
  "rollup_product_events", "rollup_users", "rollup_watermarks";

CREATE TABLE "rollup_endpoints" (
    "project_id" UUID NOT NULL,
    "grain" VARCHAR(8) NOT NULL,
    "bucket_start" TIMESTAMPTZ(3) NOT NULL,
    "route" VARCHAR(512) NOT NULL,
    "method" VARCHAR(16) NOT NULL,
    "count" BIGINT NOT NULL,
    "error_count" BIGINT NOT NULL,
    "duration_sum" DOUBLE PRECISION NOT NULL,
    "duration_max" DOUBLE PRECISION NOT NULL,
    "duration_bins" INTEGER[] NOT NULL DEFAULT ARRAY[]::INTEGER[],
    "duration_counts" INTEGER[] NOT NULL DEFAULT ARRAY[]::INTEGER[],
    CONSTRAINT "rollup_endpoints_pkey" PRIMARY KEY ("project_id", "grain", "bucket_start", "route", "method")
);
