-- Request totals per bucket without route/method/status dimensions: the overview and the
-- performance time series merge these few rows (and their latency sketches) instead of one row
-- per endpoint and status class. Filled by the same rollup job from the same raw rows.
CREATE TABLE "rollup_request_totals" (
    "project_id" UUID NOT NULL,
    "grain" VARCHAR(8) NOT NULL,
    "bucket_start" TIMESTAMPTZ(3) NOT NULL,
    "service" VARCHAR(256) NOT NULL,
    "environment" VARCHAR(64) NOT NULL,
    "count" BIGINT NOT NULL,
    "error_count" BIGINT NOT NULL,
    "duration_sum" DOUBLE PRECISION NOT NULL,
    "duration_max" DOUBLE PRECISION NOT NULL,
    "duration_bins" INTEGER[] NOT NULL DEFAULT ARRAY[]::INTEGER[],
    "duration_counts" INTEGER[] NOT NULL DEFAULT ARRAY[]::INTEGER[],
    CONSTRAINT "rollup_request_totals_pkey" PRIMARY KEY ("project_id", "grain", "bucket_start", "service", "environment")
);
