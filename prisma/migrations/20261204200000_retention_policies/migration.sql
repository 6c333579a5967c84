-- Data lifecycle (issue #12): per-project retention overrides of the instance defaults (env.ts),
-- and the (project_id, time) index the retention job deletes metric points through (every other
-- event table already has one).
--
-- A project's override row exists only while it differs from the default; deleting it restores the
-- default. Bounds are checked here as well as in the procedures (1 day .. 10 years).

CREATE TABLE "retention_policies" (
    "project_id" UUID NOT NULL,
    "kind" VARCHAR(32) NOT NULL,
    "days" INTEGER NOT NULL,
    "updated_by_id" UUID,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "retention_policies_pkey" PRIMARY KEY ("project_id", "kind"),
    CONSTRAINT "retention_policies_days_check" CHECK ("days" BETWEEN 1 AND 3650)
);
ALTER TABLE "retention_policies" ADD CONSTRAINT "retention_policies_project_id_fkey" FOREIGN KEY ("project_id") REFERENCES "projects"("id") ON DELETE CASCADE ON UPDATE CASCADE;

CREATE INDEX "metric_points_project_id_time_idx" ON "metric_points"("project_id", "time" DESC);
