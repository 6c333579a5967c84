-- Rollups: pre-aggregated time buckets that dashboards read for closed buckets (raw rows serve
-- the open tail). Grains: 'minute', 'hour', 'day' (UTC buckets). Each table is keyed
-- (project_id, grain, bucket_start, dimensions…): the grain sits between project and time so a
-- range read of one grain never walks the rows of the others. Dimensions are NOT NULL ('' for
-- "none") so they can be part of the primary key; the rollup job recomputes and replaces whole
-- buckets (DELETE + INSERT in one transaction), so re-running it never counts twice.
--
-- Latency percentiles: each row carries a DDSketch-style log-bucketed histogram as two parallel
-- arrays (bin index, count). Bin i holds values in (γ^(i-1), γ^i] with γ = (1+α)/(1-α), α = 0.01,
-- so any quantile read from merged bins is within 1% relative error of the exact value. Merging
-- = unnest + SUM by bin. See src/server/metrics/sketch.ts.

CREATE TABLE "rollup_requests" (
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
    "duration_bins" INTEGER[] NOT NULL DEFAULT ARRAY[]::INTEGER[],
    "duration_counts" INTEGER[] NOT NULL DEFAULT ARRAY[]::INTEGER[],
    CONSTRAINT "rollup_requests_pkey" PRIMARY KEY ("project_id", "grain", "bucket_start", "route", "method", "status_class", "service", "environment")
);

CREATE TABLE "rollup_llm" (
    "project_id" UUID NOT NULL,
    "grain" VARCHAR(8) NOT NULL,
    "bucket_start" TIMESTAMPTZ(3) NOT NULL,
    "model" VARCHAR(256) NOT NULL,
    "provider" VARCHAR(256) NOT NULL,
    "feature" VARCHAR(256) NOT NULL,
    "environment" VARCHAR(64) NOT NULL,
    "calls" BIGINT NOT NULL,
    "error_count" BIGINT NOT NULL,
    "input_tokens" BIGINT NOT NULL,
    "cached_input_tokens" BIGINT NOT NULL,
    "cache_write_tokens" BIGINT NOT NULL,
    "output_tokens" BIGINT NOT NULL,
    "reasoning_tokens" BIGINT NOT NULL,
    "cost_usd" DECIMAL(24,10) NOT NULL,
    "latency_bins" INTEGER[] NOT NULL DEFAULT ARRAY[]::INTEGER[],
    "latency_counts" INTEGER[] NOT NULL DEFAULT ARRAY[]::INTEGER[],
    "ttft_bins" INTEGER[] NOT NULL DEFAULT ARRAY[]::INTEGER[],
    "ttft_counts" INTEGER[] NOT NULL DEFAULT ARRAY[]::INTEGER[],
    CONSTRAINT "rollup_llm_pkey" PRIMARY KEY ("project_id", "grain", "bucket_start", "model", "provider", "feature", "environment")
);

CREATE TABLE "rollup_errors" (
    "project_id" UUID NOT NULL,
    "grain" VARCHAR(8) NOT NULL,
    "bucket_start" TIMESTAMPTZ(3) NOT NULL,
    "group_id" UUID NOT NULL,
    "environment" VARCHAR(64) NOT NULL,
    "release" VARCHAR(256) NOT NULL,
    "count" BIGINT NOT NULL,
    CONSTRAINT "rollup_errors_pkey" PRIMARY KEY ("project_id", "grain", "bucket_start", "group_id", "environment", "release")
);

CREATE TABLE "rollup_product_events" (
    "project_id" UUID NOT NULL,
    "grain" VARCHAR(8) NOT NULL,
    "bucket_start" TIMESTAMPTZ(3) NOT NULL,
    "name" VARCHAR(256) NOT NULL,
    "environment" VARCHAR(64) NOT NULL,
    "count" BIGINT NOT NULL,
    CONSTRAINT "rollup_product_events_pkey" PRIMARY KEY ("project_id", "grain", "bucket_start", "name", "environment")
);

-- Exact distinct users: one row per user per bucket per kind ('request', 'llm', 'event' keyed by
-- event name, 'error' keyed by group id), so DAU/WAU and "users affected" are COUNT(DISTINCT)
-- over merged buckets, never an estimate. Hour and day grains only.
CREATE TABLE "rollup_users" (
    "project_id" UUID NOT NULL,
    "grain" VARCHAR(8) NOT NULL,
    "bucket_start" TIMESTAMPTZ(3) NOT NULL,
    "kind" VARCHAR(8) NOT NULL,
    "key" VARCHAR(256) NOT NULL,
    "environment" VARCHAR(64) NOT NULL,
    "release" VARCHAR(256) NOT NULL,
    "user_id" VARCHAR(256) NOT NULL,
    "count" BIGINT NOT NULL,
    "cost_usd" DECIMAL(24,10) NOT NULL,
    CONSTRAINT "rollup_users_pkey" PRIMARY KEY ("project_id", "grain", "bucket_start", "kind", "key", "environment", "release", "user_id")
);

-- Per project and grain: every bucket before folded_until is folded. received_seen is the
-- newest received_at the last run saw; rows received since (minus a safety margin) mark their
-- buckets dirty, which is how late data is re-folded.
CREATE TABLE "rollup_watermarks" (
    "project_id" UUID NOT NULL,
    "grain" VARCHAR(8) NOT NULL,
    "folded_until" TIMESTAMPTZ(3) NOT NULL,
    "received_seen" TIMESTAMPTZ(3) NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "rollup_watermarks_pkey" PRIMARY KEY ("project_id", "grain")
);

-- received_at grows with insertion order, so BRIN finds "rows received since" in a few pages.
CREATE INDEX "requests_received_at_idx" ON "requests" USING BRIN ("received_at");
CREATE INDEX "llm_calls_received_at_idx" ON "llm_calls" USING BRIN ("received_at");
CREATE INDEX "error_events_received_at_idx" ON "error_events" USING BRIN ("received_at");
CREATE INDEX "product_events_received_at_idx" ON "product_events" USING BRIN ("received_at");

-- spend:read per role: owners always hold it; this lists the other roles that do.
ALTER TABLE "organizations" ADD COLUMN "spend_read_roles" "Role"[] NOT NULL DEFAULT ARRAY['owner', 'admin', 'member', 'viewer']::"Role"[];
