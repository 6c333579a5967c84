-- Events: logs, requests, errors (groups + events), LLM calls, spans, metrics, product events,
-- the model price table and per-project redaction rules.
--
-- Scale (DESIGN.md): every event table carries project_id, leads its primary key and every index
-- with it, and has no foreign key except to projects (so it can become a Citus distributed table
-- sharded by project_id). Dashboards read (project_id, time) b-trees; BRIN on time serves
-- retention and wide scans cheaply; trace_id indexes serve trace joins. Client ids make retries
-- idempotent: a unique (project_id, client_id) and INSERT … ON CONFLICT DO NOTHING.

CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE EXTENSION IF NOT EXISTS btree_gin;

CREATE TYPE "ErrorGroupStatus" AS ENUM ('unresolved', 'resolved', 'ignored');
CREATE TYPE "ErrorGroupSubstatus" AS ENUM ('new', 'ongoing', 'regressed');
CREATE TYPE "CostSource" AS ENUM ('client', 'table', 'none');
CREATE TYPE "RedactionRuleKind" AS ENUM ('key', 'pattern');

CREATE TABLE "logs" (
    "project_id" UUID NOT NULL,
    "id" BIGSERIAL NOT NULL,
    "client_id" VARCHAR(128),
    "time" TIMESTAMPTZ(3) NOT NULL,
    "received_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "level" VARCHAR(8) NOT NULL,
    "message" TEXT NOT NULL,
    "logger" VARCHAR(256),
    "service" VARCHAR(256),
    "environment" VARCHAR(64),
    "release" VARCHAR(256),
    "trace_id" VARCHAR(64),
    "span_id" VARCHAR(64),
    "user_id" VARCHAR(256),
    "request_id" VARCHAR(128),
    "attributes" JSONB NOT NULL DEFAULT '{}',
    "redactions" TEXT[] NOT NULL DEFAULT ARRAY[]::TEXT[],
    CONSTRAINT "logs_pkey" PRIMARY KEY ("project_id", "id")
);
CREATE UNIQUE INDEX "logs_project_id_client_id_key" ON "logs"("project_id", "client_id");
CREATE INDEX "logs_project_id_time_idx" ON "logs"("project_id", "time" DESC);
CREATE INDEX "logs_project_id_trace_id_idx" ON "logs"("project_id", "trace_id");
CREATE INDEX "logs_time_idx" ON "logs" USING BRIN ("time");
CREATE INDEX "logs_project_id_message_idx" ON "logs" USING GIN ("project_id" uuid_ops, "message" gin_trgm_ops);

CREATE TABLE "requests" (
    "project_id" UUID NOT NULL,
    "id" BIGSERIAL NOT NULL,
    "client_id" VARCHAR(128),
    "time" TIMESTAMPTZ(3) NOT NULL,
    "received_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "method" VARCHAR(16) NOT NULL,
    "route" VARCHAR(2048),
    "path" VARCHAR(2048) NOT NULL,
    "status" INTEGER NOT NULL,
    "duration_ms" DOUBLE PRECISION NOT NULL,
    "request_size" BIGINT,
    "response_size" BIGINT,
    "user_agent" VARCHAR(1024),
    "client_ip" VARCHAR(64),
    "user_id" VARCHAR(256),
    "request_id" VARCHAR(128),
    "service" VARCHAR(256),
    "environment" VARCHAR(64),
    "release" VARCHAR(256),
    "trace_id" VARCHAR(64),
    "span_id" VARCHAR(64),
    "request_headers" JSONB NOT NULL DEFAULT '{}',
    "response_headers" JSONB NOT NULL DEFAULT '{}',
    "redactions" TEXT[] NOT NULL DEFAULT ARRAY[]::TEXT[],
    CONSTRAINT "requests_pkey" PRIMARY KEY ("project_id", "id")
);
CREATE UNIQUE INDEX "requests_project_id_client_id_key" ON "requests"("project_id", "client_id");
CREATE INDEX "requests_project_id_time_idx" ON "requests"("project_id", "time" DESC);
CREATE INDEX "requests_project_id_route_time_idx" ON "requests"("project_id", "route", "time" DESC);
CREATE INDEX "requests_project_id_trace_id_idx" ON "requests"("project_id", "trace_id");
CREATE INDEX "requests_time_idx" ON "requests" USING BRIN ("time");

CREATE TABLE "error_groups" (
    "project_id" UUID NOT NULL,
    "id" UUID NOT NULL,
    "fingerprint" CHAR(64) NOT NULL,
    "title" VARCHAR(1024) NOT NULL,
    "culprit" VARCHAR(1024),
    "type" VARCHAR(256),
    "level" VARCHAR(8) NOT NULL,
    "status" "ErrorGroupStatus" NOT NULL DEFAULT 'unresolved',
    "substatus" "ErrorGroupSubstatus" NOT NULL DEFAULT 'new',
    "count" BIGINT NOT NULL DEFAULT 0,
    "first_seen" TIMESTAMPTZ(3) NOT NULL,
    "last_seen" TIMESTAMPTZ(3) NOT NULL,
    "first_release" VARCHAR(256),
    "last_release" VARCHAR(256),
    "resolved_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "error_groups_pkey" PRIMARY KEY ("project_id", "id")
);
CREATE UNIQUE INDEX "error_groups_project_id_fingerprint_key" ON "error_groups"("project_id", "fingerprint");
CREATE INDEX "error_groups_project_id_last_seen_idx" ON "error_groups"("project_id", "last_seen" DESC);
CREATE INDEX "error_groups_project_id_status_last_seen_idx" ON "error_groups"("project_id", "status", "last_seen" DESC);

CREATE TABLE "error_events" (
    "project_id" UUID NOT NULL,
    "id" BIGSERIAL NOT NULL,
    "client_id" VARCHAR(128),
    "group_id" UUID NOT NULL,
    "time" TIMESTAMPTZ(3) NOT NULL,
    "received_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "level" VARCHAR(8) NOT NULL,
    "type" VARCHAR(256),
    "message" TEXT,
    "title" VARCHAR(1024) NOT NULL,
    "culprit" VARCHAR(1024),
    "logger" VARCHAR(256),
    "service" VARCHAR(256),
    "environment" VARCHAR(64),
    "release" VARCHAR(256),
    "trace_id" VARCHAR(64),
    "span_id" VARCHAR(64),
    "user_id" VARCHAR(256),
    "exception" JSONB,
    "tags" JSONB NOT NULL DEFAULT '{}',
    "user" JSONB,
    "extra" JSONB NOT NULL DEFAULT '{}',
    "fingerprint_parts" TEXT[] NOT NULL DEFAULT ARRAY[]::TEXT[],
    "redactions" TEXT[] NOT NULL DEFAULT ARRAY[]::TEXT[],
    CONSTRAINT "error_events_pkey" PRIMARY KEY ("project_id", "id")
);
CREATE UNIQUE INDEX "error_events_project_id_client_id_key" ON "error_events"("project_id", "client_id");
CREATE INDEX "error_events_project_id_group_id_time_idx" ON "error_events"("project_id", "group_id", "time" DESC);
CREATE INDEX "error_events_project_id_time_idx" ON "error_events"("project_id", "time" DESC);
CREATE INDEX "error_events_project_id_trace_id_idx" ON "error_events"("project_id", "trace_id");
CREATE INDEX "error_events_time_idx" ON "error_events" USING BRIN ("time");

CREATE TABLE "model_prices" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "project_id" UUID,
    "provider" VARCHAR(64) NOT NULL,
    "model" VARCHAR(256) NOT NULL,
    "match_pattern" VARCHAR(512) NOT NULL,
    "effective_from" TIMESTAMPTZ(3) NOT NULL,
    "input_per_1m" DECIMAL(14,6) NOT NULL,
    "cached_input_per_1m" DECIMAL(14,6),
    "cache_write_per_1m" DECIMAL(14,6),
    "output_per_1m" DECIMAL(14,6) NOT NULL,
    "reasoning_per_1m" DECIMAL(14,6),
    "source_url" VARCHAR(1024),
    "version" INTEGER NOT NULL DEFAULT 1,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "model_prices_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "model_prices_project_id_idx" ON "model_prices"("project_id");
ALTER TABLE "model_prices" ADD CONSTRAINT "model_prices_project_id_fkey" FOREIGN KEY ("project_id") REFERENCES "projects"("id") ON DELETE CASCADE ON UPDATE CASCADE;

CREATE TABLE "llm_calls" (
    "project_id" UUID NOT NULL,
    "id" BIGSERIAL NOT NULL,
    "client_id" VARCHAR(128),
    "time" TIMESTAMPTZ(3) NOT NULL,
    "received_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "provider" VARCHAR(256),
    "model" VARCHAR(256) NOT NULL,
    "operation" VARCHAR(64) NOT NULL,
    "input_tokens" INTEGER NOT NULL DEFAULT 0,
    "cached_input_tokens" INTEGER NOT NULL DEFAULT 0,
    "cache_write_tokens" INTEGER NOT NULL DEFAULT 0,
    "output_tokens" INTEGER NOT NULL DEFAULT 0,
    "reasoning_tokens" INTEGER NOT NULL DEFAULT 0,
    "latency_ms" DOUBLE PRECISION,
    "ttft_ms" DOUBLE PRECISION,
    "status" VARCHAR(8) NOT NULL,
    "error_type" VARCHAR(256),
    "cost_usd" DECIMAL(20,10),
    "cost_source" "CostSource" NOT NULL,
    "price_id" UUID,
    "price_version" INTEGER,
    "user_id" VARCHAR(256),
    "feature" VARCHAR(256),
    "prompt" TEXT,
    "completion" TEXT,
    "service" VARCHAR(256),
    "environment" VARCHAR(64),
    "release" VARCHAR(256),
    "trace_id" VARCHAR(64),
    "span_id" VARCHAR(64),
    "attributes" JSONB NOT NULL DEFAULT '{}',
    "redactions" TEXT[] NOT NULL DEFAULT ARRAY[]::TEXT[],
    CONSTRAINT "llm_calls_pkey" PRIMARY KEY ("project_id", "id")
);
CREATE UNIQUE INDEX "llm_calls_project_id_client_id_key" ON "llm_calls"("project_id", "client_id");
CREATE INDEX "llm_calls_project_id_time_idx" ON "llm_calls"("project_id", "time" DESC);
CREATE INDEX "llm_calls_project_id_model_time_idx" ON "llm_calls"("project_id", "model", "time" DESC);
CREATE INDEX "llm_calls_project_id_trace_id_idx" ON "llm_calls"("project_id", "trace_id");
CREATE INDEX "llm_calls_time_idx" ON "llm_calls" USING BRIN ("time");

CREATE TABLE "spans" (
    "project_id" UUID NOT NULL,
    "id" BIGSERIAL NOT NULL,
    "client_id" VARCHAR(128),
    "trace_id" VARCHAR(64) NOT NULL,
    "span_id" VARCHAR(64) NOT NULL,
    "parent_span_id" VARCHAR(64),
    "name" VARCHAR(1024) NOT NULL,
    "kind" VARCHAR(16) NOT NULL,
    "start_time" TIMESTAMPTZ(3) NOT NULL,
    "end_time" TIMESTAMPTZ(3) NOT NULL,
    "duration_ms" DOUBLE PRECISION NOT NULL,
    "received_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "status" VARCHAR(8) NOT NULL,
    "status_message" VARCHAR(4096),
    "service" VARCHAR(256),
    "environment" VARCHAR(64),
    "release" VARCHAR(256),
    "attributes" JSONB NOT NULL DEFAULT '{}',
    "events" JSONB NOT NULL DEFAULT '[]',
    "redactions" TEXT[] NOT NULL DEFAULT ARRAY[]::TEXT[],
    CONSTRAINT "spans_pkey" PRIMARY KEY ("project_id", "id")
);
CREATE UNIQUE INDEX "spans_project_id_client_id_key" ON "spans"("project_id", "client_id");
CREATE UNIQUE INDEX "spans_project_id_trace_id_span_id_key" ON "spans"("project_id", "trace_id", "span_id");
CREATE INDEX "spans_project_id_start_time_idx" ON "spans"("project_id", "start_time" DESC);
CREATE INDEX "spans_start_time_idx" ON "spans" USING BRIN ("start_time");

CREATE TABLE "metric_points" (
    "project_id" UUID NOT NULL,
    "id" BIGSERIAL NOT NULL,
    "client_id" VARCHAR(128),
    "time" TIMESTAMPTZ(3) NOT NULL,
    "received_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "name" VARCHAR(256) NOT NULL,
    "kind" VARCHAR(16) NOT NULL,
    "unit" VARCHAR(64),
    "value" DOUBLE PRECISION,
    "count" BIGINT,
    "sum" DOUBLE PRECISION,
    "min" DOUBLE PRECISION,
    "max" DOUBLE PRECISION,
    "buckets" JSONB,
    "service" VARCHAR(256),
    "environment" VARCHAR(64),
    "release" VARCHAR(256),
    "attributes" JSONB NOT NULL DEFAULT '{}',
    "redactions" TEXT[] NOT NULL DEFAULT ARRAY[]::TEXT[],
    CONSTRAINT "metric_points_pkey" PRIMARY KEY ("project_id", "id")
);
CREATE UNIQUE INDEX "metric_points_project_id_client_id_key" ON "metric_points"("project_id", "client_id");
CREATE INDEX "metric_points_project_id_name_time_idx" ON "metric_points"("project_id", "name", "time" DESC);
CREATE INDEX "metric_points_time_idx" ON "metric_points" USING BRIN ("time");

CREATE TABLE "product_events" (
    "project_id" UUID NOT NULL,
    "id" BIGSERIAL NOT NULL,
    "client_id" VARCHAR(128),
    "time" TIMESTAMPTZ(3) NOT NULL,
    "received_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "name" VARCHAR(256) NOT NULL,
    "user_id" VARCHAR(256),
    "session_id" VARCHAR(128),
    "service" VARCHAR(256),
    "environment" VARCHAR(64),
    "release" VARCHAR(256),
    "trace_id" VARCHAR(64),
    "span_id" VARCHAR(64),
    "properties" JSONB NOT NULL DEFAULT '{}',
    "redactions" TEXT[] NOT NULL DEFAULT ARRAY[]::TEXT[],
    CONSTRAINT "product_events_pkey" PRIMARY KEY ("project_id", "id")
);
CREATE UNIQUE INDEX "product_events_project_id_client_id_key" ON "product_events"("project_id", "client_id");
CREATE INDEX "product_events_project_id_time_idx" ON "product_events"("project_id", "time" DESC);
CREATE INDEX "product_events_project_id_name_time_idx" ON "product_events"("project_id", "name", "time" DESC);
CREATE INDEX "product_events_project_id_user_id_time_idx" ON "product_events"("project_id", "user_id", "time" DESC);
CREATE INDEX "product_events_time_idx" ON "product_events" USING BRIN ("time");

CREATE TABLE "redaction_rules" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "project_id" UUID NOT NULL,
    "kind" "RedactionRuleKind" NOT NULL,
    "pattern" VARCHAR(512) NOT NULL,
    "description" VARCHAR(256),
    "created_by_id" UUID,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "redaction_rules_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "redaction_rules_project_id_idx" ON "redaction_rules"("project_id");
ALTER TABLE "redaction_rules" ADD CONSTRAINT "redaction_rules_project_id_fkey" FOREIGN KEY ("project_id") REFERENCES "projects"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Built-in prices (project_id NULL), USD per 1M tokens, as published by each provider on the
-- date in effective_from. Patterns are case-insensitive regular expressions on the model name
-- (an optional "provider/" prefix and dated suffixes such as -2024-08-06 resolve to the family).
-- Reasoning tokens: NULL means "billed at the output rate" (OpenAI, Anthropic and Google all do).
INSERT INTO "model_prices" ("provider", "model", "match_pattern", "effective_from", "input_per_1m", "cached_input_per_1m", "cache_write_per_1m", "output_per_1m", "reasoning_per_1m", "source_url") VALUES
('openai', 'gpt-4o', '^(openai/)?gpt-4o(-\d{4}-\d{2}-\d{2})?$', '2024-08-06', 2.50, 1.25, NULL, 10.00, NULL, 'https://openai.com/api/pricing/'),
('openai', 'gpt-4o-mini', '^(openai/)?gpt-4o-mini(-\d{4}-\d{2}-\d{2})?$', '2024-07-18', 0.15, 0.075, NULL, 0.60, NULL, 'https://openai.com/api/pricing/'),
('openai', 'gpt-4.1', '^(openai/)?gpt-4\.1(-\d{4}-\d{2}-\d{2})?$', '2025-04-14', 2.00, 0.50, NULL, 8.00, NULL, 'https://openai.com/api/pricing/'),
('openai', 'gpt-4.1-mini', '^(openai/)?gpt-4\.1-mini(-\d{4}-\d{2}-\d{2})?$', '2025-04-14', 0.40, 0.10, NULL, 1.60, NULL, 'https://openai.com/api/pricing/'),
('openai', 'gpt-4.1-nano', '^(openai/)?gpt-4\.1-nano(-\d{4}-\d{2}-\d{2})?$', '2025-04-14', 0.10, 0.025, NULL, 0.40, NULL, 'https://openai.com/api/pricing/'),
('openai', 'gpt-5', '^(openai/)?gpt-5(-chat-latest|-\d{4}-\d{2}-\d{2})?$', '2025-08-07', 1.25, 0.125, NULL, 10.00, NULL, 'https://openai.com/api/pricing/'),
('openai', 'gpt-5-mini', '^(openai/)?gpt-5-mini(-\d{4}-\d{2}-\d{2})?$', '2025-08-07', 0.25, 0.025, NULL, 2.00, NULL, 'https://openai.com/api/pricing/'),
('openai', 'gpt-5-nano', '^(openai/)?gpt-5-nano(-\d{4}-\d{2}-\d{2})?$', '2025-08-07', 0.05, 0.005, NULL, 0.40, NULL, 'https://openai.com/api/pricing/'),
('openai', 'o1', '^(openai/)?o1(-\d{4}-\d{2}-\d{2})?$', '2024-12-17', 15.00, 7.50, NULL, 60.00, NULL, 'https://openai.com/api/pricing/'),
('openai', 'o3', '^(openai/)?o3(-\d{4}-\d{2}-\d{2})?$', '2025-04-16', 10.00, 2.50, NULL, 40.00, NULL, 'https://openai.com/api/pricing/'),
('openai', 'o3', '^(openai/)?o3(-\d{4}-\d{2}-\d{2})?$', '2025-06-10', 2.00, 0.50, NULL, 8.00, NULL, 'https://openai.com/api/pricing/'),
('openai', 'o3-mini', '^(openai/)?o3-mini(-\d{4}-\d{2}-\d{2})?$', '2025-01-31', 1.10, 0.55, NULL, 4.40, NULL, 'https://openai.com/api/pricing/'),
('openai', 'o4-mini', '^(openai/)?o4-mini(-\d{4}-\d{2}-\d{2})?$', '2025-04-16', 1.10, 0.275, NULL, 4.40, NULL, 'https://openai.com/api/pricing/'),
('openai', 'gpt-4-turbo', '^(openai/)?gpt-4-turbo(-preview|-\d{4}-\d{2}-\d{2})?$', '2024-04-09', 10.00, NULL, NULL, 30.00, NULL, 'https://openai.com/api/pricing/'),
('openai', 'gpt-3.5-turbo', '^(openai/)?gpt-3\.5-turbo(-\d{4})?$', '2024-01-25', 0.50, NULL, NULL, 1.50, NULL, 'https://openai.com/api/pricing/'),
('openai', 'text-embedding-3-small', '^(openai/)?text-embedding-3-small$', '2024-01-25', 0.02, NULL, NULL, 0.00, NULL, 'https://openai.com/api/pricing/'),
('openai', 'text-embedding-3-large', '^(openai/)?text-embedding-3-large$', '2024-01-25', 0.13, NULL, NULL, 0.00, NULL, 'https://openai.com/api/pricing/'),
('anthropic', 'claude-opus-4', '^(anthropic/)?claude-(opus-4|opus-4-0|opus-4-1|4-opus)(-\d{8})?(-v\d+(:\d+)?)?$', '2025-05-22', 15.00, 1.50, 18.75, 75.00, NULL, 'https://docs.anthropic.com/en/docs/about-claude/pricing'),
('anthropic', 'claude-opus-4-5', '^(anthropic/)?claude-opus-4-5(-\d{8})?$', '2025-11-24', 5.00, 0.50, 6.25, 25.00, NULL, 'https://docs.anthropic.com/en/docs/about-claude/pricing'),
('anthropic', 'claude-sonnet-4', '^(anthropic/)?claude-(sonnet-4|sonnet-4-0|sonnet-4-5|sonnet-4-6|4-sonnet)(-\d{8})?$', '2025-05-22', 3.00, 0.30, 3.75, 15.00, NULL, 'https://docs.anthropic.com/en/docs/about-claude/pricing'),
('anthropic', 'claude-3-7-sonnet', '^(anthropic/)?claude-3-7-sonnet(-\d{8}|-latest)?$', '2025-02-24', 3.00, 0.30, 3.75, 15.00, NULL, 'https://docs.anthropic.com/en/docs/about-claude/pricing'),
('anthropic', 'claude-3-5-sonnet', '^(anthropic/)?claude-3-5-sonnet(-\d{8}|-latest)?$', '2024-06-20', 3.00, 0.30, 3.75, 15.00, NULL, 'https://docs.anthropic.com/en/docs/about-claude/pricing'),
('anthropic', 'claude-haiku-4-5', '^(anthropic/)?claude-haiku-4-5(-\d{8})?$', '2025-10-15', 1.00, 0.10, 1.25, 5.00, NULL, 'https://docs.anthropic.com/en/docs/about-claude/pricing'),
('anthropic', 'claude-3-5-haiku', '^(anthropic/)?claude-3-5-haiku(-\d{8}|-latest)?$', '2024-11-04', 0.80, 0.08, 1.00, 4.00, NULL, 'https://docs.anthropic.com/en/docs/about-claude/pricing'),
('anthropic', 'claude-3-haiku', '^(anthropic/)?claude-3-haiku(-\d{8})?$', '2024-03-13', 0.25, 0.03, 0.30, 1.25, NULL, 'https://docs.anthropic.com/en/docs/about-claude/pricing'),
('anthropic', 'claude-3-opus', '^(anthropic/)?claude-3-opus(-\d{8}|-latest)?$', '2024-03-04', 15.00, 1.50, 18.75, 75.00, NULL, 'https://docs.anthropic.com/en/docs/about-claude/pricing'),
('google', 'gemini-2.5-pro', '^(google/|models/)?gemini-2\.5-pro(-preview.*|-\d{3})?$', '2025-06-17', 1.25, 0.31, NULL, 10.00, NULL, 'https://ai.google.dev/gemini-api/docs/pricing'),
('google', 'gemini-2.5-flash', '^(google/|models/)?gemini-2\.5-flash(-preview.*|-\d{3})?$', '2025-06-17', 0.30, 0.075, NULL, 2.50, NULL, 'https://ai.google.dev/gemini-api/docs/pricing'),
('google', 'gemini-2.5-flash-lite', '^(google/|models/)?gemini-2\.5-flash-lite(-preview.*|-\d{3})?$', '2025-07-22', 0.10, 0.025, NULL, 0.40, NULL, 'https://ai.google.dev/gemini-api/docs/pricing'),
('google', 'gemini-2.0-flash', '^(google/|models/)?gemini-2\.0-flash(-\d{3})?$', '2025-02-05', 0.10, 0.025, NULL, 0.40, NULL, 'https://ai.google.dev/gemini-api/docs/pricing'),
('google', 'gemini-1.5-pro', '^(google/|models/)?gemini-1\.5-pro(-\d{3}|-latest)?$', '2024-10-01', 1.25, 0.3125, NULL, 5.00, NULL, 'https://ai.google.dev/gemini-api/docs/pricing'),
('google', 'gemini-1.5-flash', '^(google/|models/)?gemini-1\.5-flash(-\d{3}|-latest)?$', '2024-08-12', 0.075, 0.01875, NULL, 0.30, NULL, 'https://ai.google.dev/gemini-api/docs/pricing'),
('mistral', 'mistral-large', '^(mistral/|mistralai/)?mistral-large(-\d{4}|-latest)?$', '2024-11-18', 2.00, NULL, NULL, 6.00, NULL, 'https://mistral.ai/pricing'),
('mistral', 'mistral-medium', '^(mistral/|mistralai/)?mistral-medium(-\d{4}|-latest|-3)?$', '2025-05-07', 0.40, NULL, NULL, 2.00, NULL, 'https://mistral.ai/pricing'),
('mistral', 'mistral-small', '^(mistral/|mistralai/)?mistral-small(-\d{4}|-latest)?$', '2024-09-17', 0.10, NULL, NULL, 0.30, NULL, 'https://mistral.ai/pricing'),
('mistral', 'codestral', '^(mistral/|mistralai/)?codestral(-\d{4}|-latest)?$', '2025-01-13', 0.30, NULL, NULL, 0.90, NULL, 'https://mistral.ai/pricing'),
('mistral', 'open-mistral-nemo', '^(mistral/|mistralai/)?(open-)?mistral-nemo(-\d{4}|-latest)?$', '2024-07-18', 0.15, NULL, NULL, 0.15, NULL, 'https://mistral.ai/pricing'),
('groq', 'llama-3.3-70b-versatile', '^(groq/)?llama-3\.3-70b-versatile$', '2024-12-06', 0.59, NULL, NULL, 0.79, NULL, 'https://groq.com/pricing'),
('groq', 'llama-3.1-8b-instant', '^(groq/)?llama-3\.1-8b-instant$', '2024-07-23', 0.05, NULL, NULL, 0.08, NULL, 'https://groq.com/pricing'),
('groq', 'llama-4-scout', '^(groq/)?(meta-llama/)?llama-4-scout-17b-16e-instruct$', '2025-04-05', 0.11, NULL, NULL, 0.34, NULL, 'https://groq.com/pricing'),
('groq', 'llama-4-maverick', '^(groq/)?(meta-llama/)?llama-4-maverick-17b-128e-instruct$', '2025-04-05', 0.20, NULL, NULL, 0.60, NULL, 'https://groq.com/pricing'),
('together', 'Llama-3.3-70B-Instruct-Turbo', '^(together/)?meta-llama/Llama-3\.3-70B-Instruct-Turbo$', '2024-12-06', 0.88, NULL, NULL, 0.88, NULL, 'https://www.together.ai/pricing'),
('together', 'Meta-Llama-3.1-405B-Instruct-Turbo', '^(together/)?meta-llama/Meta-Llama-3\.1-405B-Instruct-Turbo$', '2024-07-23', 3.50, NULL, NULL, 3.50, NULL, 'https://www.together.ai/pricing'),
('aws.bedrock', 'meta.llama3-3-70b-instruct', '^(us\.|eu\.)?meta\.llama3-3-70b-instruct-v\d+(:\d+)?$', '2024-12-19', 0.72, NULL, NULL, 0.72, NULL, 'https://aws.amazon.com/bedrock/pricing/');
