-- Metric rollups: one row per series and bucket (minute, hour, day), folded by the rollup job from
-- metric_points, so the metrics explorer reads closed buckets from here and only the open tail (and
-- sub-bucket edges) from raw points. A series' attributes are part of its identity (series_id), so
-- they are stored once per row and filters and group-bys apply to rollup rows as to raw points.
-- Counters: sum of increases; gauges: sum, count, min, max and the latest value with its time;
-- histograms: count, sum, min, max and the merged interval buckets (a JSON array of bucket sets,
-- one per layout: explicit bounds or exponential scale).
CREATE TABLE "rollup_metrics" (
    "project_id" UUID NOT NULL,
    "grain" VARCHAR(8) NOT NULL,
    "name" VARCHAR(256) NOT NULL,
    "kind" VARCHAR(16) NOT NULL,
    "bucket_start" TIMESTAMPTZ(3) NOT NULL,
    "series_id" VARCHAR(64) NOT NULL,
    "attributes" JSONB NOT NULL DEFAULT '{}',
    "points" BIGINT NOT NULL,
    "delta" DOUBLE PRECISION,
    "value_sum" DOUBLE PRECISION,
    "value_count" BIGINT NOT NULL,
    "value_min" DOUBLE PRECISION,
    "value_max" DOUBLE PRECISION,
    "last_value" DOUBLE PRECISION,
    "last_time" TIMESTAMPTZ(3) NOT NULL,
    "hist_count" BIGINT,
    "hist_sum" DOUBLE PRECISION,
    "hist_min" DOUBLE PRECISION,
    "hist_max" DOUBLE PRECISION,
    "buckets" JSONB,
    CONSTRAINT "rollup_metrics_pkey" PRIMARY KEY ("project_id", "grain", "name", "kind", "bucket_start", "series_id")
);
-- The job's deletes and retention prune name a grain and a range of bucket starts, not a metric.
CREATE INDEX "rollup_metrics_project_id_grain_bucket_start_idx" ON "rollup_metrics"("project_id", "grain", "bucket_start");

-- Late metric points dirty their buckets like other late rows (see rollup_watermarks).
CREATE INDEX "metric_points_received_at_idx" ON "metric_points" USING BRIN ("received_at");

-- Projects that already hold metric points and were folded before this table existed: forget their
-- minute, hour and day watermarks, so the next run folds those grains again from their first row
-- (the other rollup tables' buckets are replaced with identical rows) and reads use raw points
-- until then instead of empty metric rollups.
DELETE FROM "rollup_watermarks" w
 WHERE w."grain" IN ('minute', 'hour', 'day')
   AND EXISTS (SELECT 1 FROM "metric_points" m WHERE m."project_id" = w."project_id");
