-- Restored archive days (npm run archive:restore): retention leaves the day's rows of that kind alone
-- until `until` (--keep-days after the restore), then archives-and-deletes them again; rows the
-- archive already holds are deleted without being written twice.

CREATE TABLE "restore_holds" (
    "project_id" UUID NOT NULL,
    "kind" VARCHAR(32) NOT NULL,
    "day" DATE NOT NULL,
    "until" TIMESTAMPTZ(3) NOT NULL,
    "rows" INTEGER NOT NULL DEFAULT 0,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "restore_holds_pkey" PRIMARY KEY ("project_id", "kind", "day")
);
ALTER TABLE "restore_holds" ADD CONSTRAINT "restore_holds_project_id_fkey" FOREIGN KEY ("project_id") REFERENCES "projects"("id") ON DELETE CASCADE ON UPDATE CASCADE;
