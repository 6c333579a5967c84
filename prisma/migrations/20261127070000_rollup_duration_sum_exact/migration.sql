-- Request duration sums become exact: each duration is rounded to the microsecond and summed as
-- numeric (unbounded, so no accepted duration can overflow a merged sum). As float8 the sum depended
-- on the order of additions, so merging hour rows into days or windows gave averages a last digit
-- away from the same sum over raw rows.
--
-- Sketch bin counts become bigint: a 29-day window of a busy endpoint can put more than 2^31 values
-- in one bin (a constant-time health check, say), and an int overflow would stop the rollup job.
--
-- Rollups are derived data: the tables are emptied and the watermarks dropped so the next run of the
-- rollup job refolds everything (reads fall back to raw rows until then).
TRUNCATE "rollup_requests", "rollup_endpoints", "rollup_request_statuses", "rollup_request_totals", "rollup_llm",
  "rollup_errors", "rollup_error_tags", "rollup_product_events", "rollup_users", "rollup_watermarks";

ALTER TABLE "rollup_requests" ALTER COLUMN "duration_sum" TYPE DECIMAL, ALTER COLUMN "duration_counts" TYPE BIGINT[];
ALTER TABLE "rollup_endpoints" ALTER COLUMN "duration_sum" TYPE DECIMAL, ALTER COLUMN "duration_counts" TYPE BIGINT[];
ALTER TABLE "rollup_request_statuses" ALTER COLUMN "duration_sum" TYPE DECIMAL;
ALTER TABLE "rollup_request_totals" ALTER COLUMN "duration_sum" TYPE DECIMAL, ALTER COLUMN "duration_counts" TYPE BIGINT[];
ALTER TABLE "rollup_llm" ALTER COLUMN "latency_counts" TYPE BIGINT[], ALTER COLUMN "ttft_counts" TYPE BIGINT[];
