-- Spans of raw time whose rollup buckets must be folded again although no row arrived in them: rows
-- were deleted (an end user erased). The rollup job refolds the buckets they touch, of every grain,
-- and deletes the spans in the same transaction. Distributed by project on Citus, like the watermarks.

CREATE TABLE "rollup_refolds" (
    "project_id" UUID NOT NULL,
    "id" BIGSERIAL NOT NULL,
    "time_from" TIMESTAMPTZ(3) NOT NULL,
    "time_to" TIMESTAMPTZ(3) NOT NULL,
    "reason" VARCHAR(32) NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "rollup_refolds_pkey" PRIMARY KEY ("project_id", "id")
);
