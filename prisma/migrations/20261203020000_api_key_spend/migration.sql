-- A read key sees LLM spend only if the person who created it could when they created it (an admin
-- whom the owner withholds spend from could otherwise mint a key that shows it). Existing keys take
-- their creator's current visibility: owners always, other roles per the organisation's policy.
ALTER TABLE "api_keys" ADD COLUMN "sees_spend" BOOLEAN NOT NULL DEFAULT false;

UPDATE "api_keys" k SET "sees_spend" = true
  FROM "projects" p, "memberships" m, "organizations" o
 WHERE p.id = k.project_id AND o.id = p.org_id AND m.org_id = p.org_id AND m.user_id = k.created_by_id
   AND (m.role = 'owner' OR m.role = ANY(o.spend_read_roles));
