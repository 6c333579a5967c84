-- Storage that makes deletion cheap (issue #12): the raw event tables become range-partitioned by
-- event time, one partition per UTC day, so retention detaches and drops a whole expired day
-- instead of deleting it row by row. Daily, not weekly: the default retention is 30 days and the
-- job runs daily, so a day is exactly the unit that expires (weekly partitions would leave up to six
-- expired days to row deletes or keep them a week too long), and archives are per UTC day already.
-- ~40 partitions per table at the default (30 kept + 7 ahead + a few) keep planning cheap.
--
-- Each table is converted in place without losing rows: the old table is renamed, a partitioned
-- parent with the same columns, defaults and constraints takes its name (with an id sequence that
-- goes on from the old one's), daily partitions cover every day that has rows (up to 3650 days
-- back) and the week either side of today, a DEFAULT partition catches anything outside them (the retention job moves such rows into
-- their day's partition when it creates it), the rows are copied and the old table dropped.
-- Indexes are built once, after the copy.
--
-- Keys: a partitioned table's primary and unique keys must contain the partition column, so they
-- gain it, still led by project_id (Citus): (project_id, id, time), (project_id, client_id, time),
-- and for spans (project_id, trace_id, span_id, start_time). A retry carrying the same timestamp
-- lands in the same partition and still conflicts. A retry WITHOUT a timestamp gets a new server
-- time, so `ingest_client_ids` remembers such client ids for a while (src/server/ingest/write.ts).

CREATE FUNCTION pg_temp.partition_events(tbl text, tcol text, new_keys text[]) RETURNS void LANGUAGE plpgsql AS $fn$
DECLARE
  defs text[];
  today date := (now() AT TIME ZONE 'UTC')::date;
  d date;
  k text;
  distributed boolean := false;
BEGIN
  -- On Citus an already distributed table comes back to the coordinator first (Citus refuses to move
  -- its id sequence to another table); the distribution step after the migrations shards the new one.
  IF to_regclass('pg_catalog.pg_dist_partition') IS NOT NULL THEN
    EXECUTE 'SELECT EXISTS (SELECT 1 FROM pg_catalog.pg_dist_partition WHERE logicalrelid = $1::regclass)' INTO distributed USING format('public.%I', tbl);
    IF distributed THEN EXECUTE format('SELECT undistribute_table(%L)', format('public.%I', tbl)); END IF;
  END IF;
  -- Every index except the keys being replaced, as written today (they name the table `tbl`).
  SELECT coalesce(array_agg(pg_get_indexdef(i.indexrelid)), '{}') INTO defs
    FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
   WHERE i.indrelid = format('public.%I', tbl)::regclass AND NOT i.indisunique;
  EXECUTE format('ALTER TABLE %I RENAME TO %I', tbl, tbl || '_unpartitioned');
  EXECUTE format('CREATE TABLE %I (LIKE %I INCLUDING DEFAULTS INCLUDING CONSTRAINTS INCLUDING STORAGE) PARTITION BY RANGE (%I)',
                 tbl, tbl || '_unpartitioned', tcol);
  -- A new id sequence going on from the old one (Citus allows no change to a sequence it distributed);
  -- it takes the old one's name once the old table, and with it its sequence, is dropped.
  EXECUTE format('CREATE SEQUENCE %I', tbl || '_id_seq_new');
  EXECUTE format('SELECT setval(%L, greatest((SELECT coalesce(max(id), 0) FROM %I), (SELECT last_value FROM %I)) + 1, false)',
                 tbl || '_id_seq_new', tbl || '_unpartitioned', tbl || '_id_seq');
  EXECUTE format('ALTER TABLE %I ALTER COLUMN id SET DEFAULT nextval(%L::regclass)', tbl, tbl || '_id_seq_new');
  EXECUTE format('ALTER SEQUENCE %I OWNED BY %I.id', tbl || '_id_seq_new', tbl);

  -- A day for every day that has rows (the retention job already bounds their age), and the week
  -- either side of today; rows over ten years old wait in the default partition.
  FOR d IN EXECUTE format(
    'SELECT DISTINCT (%1$I AT TIME ZONE ''UTC'')::date FROM %2$I WHERE %1$I >= $1
     UNION SELECT generate_series($2::date, $3::date, interval ''1 day'')::date ORDER BY 1', tcol, tbl || '_unpartitioned')
    USING (today - 3650)::timestamp AT TIME ZONE 'UTC', today - 7, today + 7
  LOOP
    EXECUTE format('CREATE TABLE %I PARTITION OF %I FOR VALUES FROM (%L) TO (%L)',
                   tbl || '_p' || to_char(d, 'YYYYMMDD'), tbl, d::timestamp AT TIME ZONE 'UTC', (d + 1)::timestamp AT TIME ZONE 'UTC');
  END LOOP;
  EXECUTE format('CREATE TABLE %I PARTITION OF %I DEFAULT', tbl || '_default', tbl);

  EXECUTE format('INSERT INTO %I SELECT * FROM %I', tbl, tbl || '_unpartitioned');
  EXECUTE format('DROP TABLE %I', tbl || '_unpartitioned');
  EXECUTE format('ALTER SEQUENCE %I RENAME TO %I', tbl || '_id_seq_new', tbl || '_id_seq');

  EXECUTE format('ALTER TABLE %I ADD CONSTRAINT %I PRIMARY KEY (project_id, id, %I)', tbl, tbl || '_pkey', tcol);
  FOREACH k IN ARRAY new_keys LOOP EXECUTE k; END LOOP;
  FOREACH k IN ARRAY defs LOOP EXECUTE k; END LOOP;
END;
$fn$;

SELECT pg_temp.partition_events('logs', 'time', ARRAY[
  'CREATE UNIQUE INDEX "logs_project_id_client_id_time_key" ON "logs"("project_id", "client_id", "time")']);
SELECT pg_temp.partition_events('requests', 'time', ARRAY[
  'CREATE UNIQUE INDEX "requests_project_id_client_id_time_key" ON "requests"("project_id", "client_id", "time")']);
SELECT pg_temp.partition_events('error_events', 'time', ARRAY[
  'CREATE UNIQUE INDEX "error_events_project_id_client_id_time_key" ON "error_events"("project_id", "client_id", "time")']);
SELECT pg_temp.partition_events('llm_calls', 'time', ARRAY[
  'CREATE UNIQUE INDEX "llm_calls_project_id_client_id_time_key" ON "llm_calls"("project_id", "client_id", "time")']);
SELECT pg_temp.partition_events('spans', 'start_time', ARRAY[
  'CREATE UNIQUE INDEX "spans_project_id_client_id_start_time_key" ON "spans"("project_id", "client_id", "start_time")',
  'CREATE UNIQUE INDEX "spans_project_id_trace_id_span_id_start_time_key" ON "spans"("project_id", "trace_id", "span_id", "start_time")']);
SELECT pg_temp.partition_events('metric_points', 'time', ARRAY[
  'CREATE UNIQUE INDEX "metric_points_project_id_client_id_time_key" ON "metric_points"("project_id", "client_id", "time")']);
SELECT pg_temp.partition_events('product_events', 'time', ARRAY[
  'CREATE UNIQUE INDEX "product_events_project_id_client_id_time_key" ON "product_events"("project_id", "client_id", "time")']);

-- Client ids of events stored WITHOUT a timestamp of their own (the server gave them its time), so a
-- retry, which gets a different time and maybe another partition, is still stored once. Written in
-- the batch's statement; the retention job prunes rows older than the dedupe window (7 days).
CREATE TABLE "ingest_client_ids" (
    "project_id" UUID NOT NULL,
    "kind" VARCHAR(32) NOT NULL,
    "client_id" VARCHAR(128) NOT NULL,
    "seen_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "ingest_client_ids_pkey" PRIMARY KEY ("project_id", "kind", "client_id")
);
CREATE INDEX "ingest_client_ids_project_id_seen_at_idx" ON "ingest_client_ids"("project_id", "seen_at");
