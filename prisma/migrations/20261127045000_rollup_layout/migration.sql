-- Rollup layout for dashboard speed (measured with `npm run bench:queries`):
--
-- * rollup_requests loses status_class: it serves endpoints (route, method) and their latency
--   sketches, and one row per status class multiplied the rows every sketch merge had to unnest.
--   The status-class breakdown gets its own sketch-free table, rollup_request_statuses.
-- * rollup_users is keyed by kind first: a read always asks for one kind ('active', 'event', …),
--   and with the grain first it walked every kind's rows of the range to find it.
-- * Top-N reads ("slowest requests", "most expensive LLM calls") get an index on the value they
--   order by, so they stop after N rows instead of sorting the whole range.
--
-- Rollups are derived data: the tables are emptied and the watermarks dropped so the next run of
-- the rollup job refolds everything in the new layout (reads fall back to raw rows until then).
TRUNCATE "rollup_requests", "rollup_request_totals", "rollup_llm", "rollup_errors", "rollup_product_events",
  "rollup_users", "rollup_watermarks";

ALTER TABLE "rollup_requests" DROP CONSTRAINT "rollup_requests_pkey";
ALTER TABLE "rollup_requests" DROP COLUMN "status_class";
ALTER TABLE "rollup_requests" ADD CONSTRAINT "rollup_requests_pkey"
  PRIMARY KEY ("project_id", "grain", "bucket_start", "route", "method", "service", "environment");

CREATE TABLE "rollup_request_statuses" (
    "project_id" UUID NOT NULL,
    "grain" VARCHAR(8) NOT NULL,
    "bucket_start" TIMESTAMPTZ(3) NOT NULL,
    "route" VARCHAR(512) NOT NULL,
    "method" VARCHAR(16) NOT NULL,
    "status_class" SMALLINT NOT NULL,
    "service" VARCHAR(256) NOT NULL,
    "environment" VARCHAR(64) NOT NULL,
    "count" BIGINT NOT NULL,
    "error_count" BIGINT NOT NULL,
    "duration_sum" DOUBLE PRECISION NOT NULL,
    "duration_max" DOUBLE PRECISION NOT NULL,
    CONSTRAINT "rollup_request_statuses_pkey" PRIMARY KEY ("project_id", "grain", "bucket_start", "route", "method", "status_class", "service", "environment")
);

ALTER TABLE "rollup_users" DROP CONSTRAINT "rollup_users_pkey";
ALTER TABLE "rollup_users" ADD CONSTRAINT "rollup_users_pkey"
  PRIMARY KEY ("project_id", "kind", "grain", "bucket_start", "key", "environment", "release", "user_id");

CREATE INDEX "requests_project_id_duration_ms_idx" ON "requests"("project_id", "duration_ms" DESC);
CREATE INDEX "llm_calls_project_id_cost_usd_idx" ON "llm_calls"("project_id", "cost_usd" DESC);
