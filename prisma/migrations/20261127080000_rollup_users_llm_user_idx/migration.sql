-- The LLM page's cost-by-user chart reads the hourly rows of its top users only. Under the primary key,
-- whose user_id comes after bucket_start, that meant reading every user's rows of the range and
-- filtering (7 ms of 9 ms for the last 24 hours at 10 M events); this index finds them directly.
-- Partial: LLM rows are a small share of rollup_users (70 MB against 1.4 GB for the primary key).
CREATE INDEX "rollup_users_llm_user_idx" ON "rollup_users" ("project_id", "grain", "user_id", "bucket_start") WHERE "kind" = 'llm';
