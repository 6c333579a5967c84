-- End users (the app's users, `userId` in events) whose data a project erased. The list is what keeps
-- them erased: archive:restore skips their rows. It holds the id itself (the least needed to honour
-- the request); the audit log refers to the entry, never to the user id.

CREATE TABLE "end_user_erasures" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "project_id" UUID NOT NULL,
    "user_id" VARCHAR(256) NOT NULL,
    "erased_by_id" UUID,
    "erased_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "end_user_erasures_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "end_user_erasures_project_id_user_id_key" ON "end_user_erasures"("project_id", "user_id");
ALTER TABLE "end_user_erasures" ADD CONSTRAINT "end_user_erasures_project_id_fkey" FOREIGN KEY ("project_id") REFERENCES "projects"("id") ON DELETE CASCADE ON UPDATE CASCADE;
