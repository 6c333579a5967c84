-- One row per (job, scheduled tick): the claim that makes a tick run once however many portal
-- instances run the scheduler. `lease_until` is renewed while the run is alive; a run whose process
-- died stops renewing it, and another instance takes the tick over once it has passed.
-- A small instance-wide table (no project_id): on Citus it stays local to the coordinator.
CREATE TABLE "job_runs" (
    "id" BIGSERIAL NOT NULL,
    "job" VARCHAR(64) NOT NULL,
    "tick" TIMESTAMPTZ(3) NOT NULL,
    "instance" VARCHAR(128) NOT NULL,
    "status" VARCHAR(16) NOT NULL,
    "attempt" INTEGER NOT NULL DEFAULT 1,
    "started_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lease_until" TIMESTAMPTZ(3) NOT NULL,
    "finished_at" TIMESTAMPTZ(3),
    "duration_ms" INTEGER,
    "result" JSONB,
    "error" TEXT,

    CONSTRAINT "job_runs_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "job_runs_status_check" CHECK ("status" IN ('running', 'succeeded', 'failed', 'abandoned'))
);

CREATE UNIQUE INDEX "job_runs_job_tick_key" ON "job_runs" ("job", "tick");
CREATE INDEX "job_runs_started_at_idx" ON "job_runs" ("started_at");
