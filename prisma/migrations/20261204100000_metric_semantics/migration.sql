-- Metric points keep what OTLP says about them, so reads can give counters, gauges and histograms
-- their own semantics: the OTLP type, temporality, monotonicity, the point's start time, and a
-- series identity (hash of name, type, unit, resource and point attributes). Cumulative points
-- also store their increase over the previous point of the series (`delta`, `delta_count`,
-- `delta_sum`, `delta_buckets`), computed at ingest, so totals and rollups are plain sums.
ALTER TABLE "metric_points"
    ADD COLUMN "metric_type" VARCHAR(24) NOT NULL DEFAULT 'gauge',
    ADD COLUMN "temporality" VARCHAR(16),
    ADD COLUMN "monotonic" BOOLEAN,
    ADD COLUMN "start_time" TIMESTAMPTZ(3),
    ADD COLUMN "series_id" VARCHAR(64) NOT NULL DEFAULT '',
    ADD COLUMN "delta" DOUBLE PRECISION,
    ADD COLUMN "delta_count" BIGINT,
    ADD COLUMN "delta_sum" DOUBLE PRECISION,
    ADD COLUMN "delta_buckets" JSONB,
    ADD COLUMN "legacy" BOOLEAN NOT NULL DEFAULT false;

-- Rows stored under the old mapping are migrated AND marked `legacy`: counters were deltas (batch API
-- counters and OTLP delta sums), so their value is their increase; histograms are read as deltas as
-- before; gauges may have been cumulative or up-down sums the old mapping could not tell apart, so
-- they stay gauges (last/min/max/avg), never summed.
UPDATE "metric_points" SET
    "legacy" = true,
    "metric_type" = CASE "kind" WHEN 'counter' THEN 'sum' WHEN 'histogram' THEN 'histogram' ELSE 'gauge' END,
    "temporality" = CASE WHEN "kind" IN ('counter', 'histogram') THEN 'delta' END,
    "monotonic" = CASE WHEN "kind" = 'counter' THEN true END,
    "delta" = CASE WHEN "kind" = 'counter' THEN "value" END,
    "delta_count" = "count",
    "delta_sum" = "sum",
    "delta_buckets" = "buckets",
    "series_id" = md5(concat_ws(chr(31), "name", "kind", "unit", "service", "environment", "release", "attributes"::text));

CREATE INDEX "metric_points_project_id_series_id_time_idx" ON "metric_points"("project_id", "series_id", "time" DESC);
