-- The append-only rule no longer has a switch the application's own role could flip (a session
-- setting did it before): rewriting audit history now takes a superuser disabling triggers
-- (session_replication_role), which the application's role should never be. TRUNCATE is refused too.
CREATE OR REPLACE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '% is append-only', TG_TABLE_NAME;
END $$;
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON "audit_log"
  FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();

-- Signed checkpoints of each audit chain's Merkle tree (src/server/audit/checkpoint.ts): the chain's
-- size and root at a moment, signed with the instance's Ed25519 key. Append-only like the log.
CREATE TABLE "audit_checkpoints" (
    "id" BIGSERIAL NOT NULL,
    "chain" VARCHAR(64) NOT NULL,
    "tree_size" BIGINT NOT NULL,
    "root_hash" CHAR(64) NOT NULL,
    "note" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "audit_checkpoints_pkey" PRIMARY KEY ("id")
);

CREATE UNIQUE INDEX "audit_checkpoints_chain_tree_size_key" ON "audit_checkpoints" ("chain", "tree_size");

CREATE TRIGGER audit_checkpoints_no_update BEFORE UPDATE OR DELETE ON "audit_checkpoints"
  FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
CREATE TRIGGER audit_checkpoints_no_truncate BEFORE TRUNCATE ON "audit_checkpoints"
  FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();
