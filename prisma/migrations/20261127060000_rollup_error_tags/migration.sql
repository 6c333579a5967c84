-- The tag breakdown of an error group becomes exact over the selected range (as Sentry's tag facets
-- are) instead of sampled from the group's latest 1000 events: a rollup of tag values per group.
--
-- Rollups are derived data: the tables are emptied and the watermarks dropped so the next run of the
-- rollup job refolds everything, this table included (reads fall back to raw rows until then).
TRUNCATE "rollup_requests", "rollup_endpoints", "rollup_request_statuses", "rollup_request_totals", "rollup_llm",
  "rollup_errors", "rollup_product_events", "rollup_users", "rollup_watermarks";

CREATE TABLE "rollup_error_tags" (
    "project_id" UUID NOT NULL,
    "grain" VARCHAR(8) NOT NULL,
    "bucket_start" TIMESTAMPTZ(3) NOT NULL,
    "group_id" UUID NOT NULL,
    "environment" VARCHAR(64) NOT NULL,
    "release" VARCHAR(256) NOT NULL,
    "key" VARCHAR(256) NOT NULL,
    "value" VARCHAR(256) NOT NULL,
    "count" BIGINT NOT NULL,
    CONSTRAINT "rollup_error_tags_pkey" PRIMARY KEY ("project_id", "grain", "bucket_start", "group_id", "environment", "release", "key", "value")
);
