-- Request duration sums become exact: each duration is rounded to the microsecond and summed as
-- numeric. As float8 the sum depended on the order of additions, so merging hour rows into days or
-- windows gave averages a last digit away from the same sum over raw rows.
--
-- Rollups are derived data: the tables are emptied and the watermarks dropped so the next run of the
-- rollup job refolds everything (reads fall back to raw rows until then).
TRUNCATE "rollup_requests", "rollup_endpoints", "rollup_request_statuses", "rollup_request_totals", "rollup_llm",
  "rollup_errors", "rollup_error_tags", "rollup_product_events", "rollup_users", "rollup_watermarks";

ALTER TABLE "rollup_requests" ALTER COLUMN "duration_sum" TYPE DECIMAL(24,3);
ALTER TABLE "rollup_endpoints" ALTER COLUMN "duration_sum" TYPE DECIMAL(24,3);
ALTER TABLE "rollup_request_statuses" ALTER COLUMN "duration_sum" TYPE DECIMAL(24,3);
ALTER TABLE "rollup_request_totals" ALTER COLUMN "duration_sum" TYPE DECIMAL(24,3);
