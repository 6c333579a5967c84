-- An organisation's audit view also lists its members' account events (org_id IS NULL), found by actor.
CREATE INDEX "audit_log_actor_id_idx" ON "audit_log"("actor_id");
