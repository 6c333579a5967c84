-- Alerting (rules, channels, silences, per-series state, incidents with a timeline, a delivery
-- outbox) and weekly reports (stored reports, per-recipient sends, opt-outs).
CREATE TABLE "alert_channels" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "project_id" UUID NOT NULL,
    "name" VARCHAR(100) NOT NULL,
    "kind" VARCHAR(16) NOT NULL,
    "config" JSONB NOT NULL DEFAULT '{}',
    "secret" VARCHAR(128),
    "max_per_hour" INTEGER NOT NULL DEFAULT 20,
    "disabled_at" TIMESTAMPTZ(3),
    "disabled_reason" VARCHAR(256),
    "created_by_id" UUID,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "alert_channels_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "alert_channels_project_id_idx" ON "alert_channels"("project_id");

CREATE TABLE "alert_rules" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "project_id" UUID NOT NULL,
    "name" VARCHAR(200) NOT NULL,
    "kind" VARCHAR(16) NOT NULL,
    "severity" VARCHAR(8) NOT NULL,
    "config" JSONB NOT NULL DEFAULT '{}',
    "channel_ids" UUID[] NOT NULL DEFAULT ARRAY[]::UUID[],
    "repeat_interval_minutes" INTEGER,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "last_evaluated_at" TIMESTAMPTZ(3),
    "created_by_id" UUID,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "alert_rules_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "alert_rules_project_id_idx" ON "alert_rules"("project_id");

CREATE TABLE "alert_silences" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "project_id" UUID NOT NULL,
    "rule_id" UUID NOT NULL,
    "starts_at" TIMESTAMPTZ(3) NOT NULL,
    "ends_at" TIMESTAMPTZ(3) NOT NULL,
    "reason" VARCHAR(500),
    "created_by_id" UUID,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "alert_silences_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "alert_silences_rule_id_ends_at_idx" ON "alert_silences"("rule_id", "ends_at");
ALTER TABLE "alert_silences" ADD CONSTRAINT "alert_silences_rule_id_fkey" FOREIGN KEY ("rule_id") REFERENCES "alert_rules"("id") ON DELETE CASCADE ON UPDATE CASCADE;

CREATE TABLE "alert_states" (
    "rule_id" UUID NOT NULL,
    "series_key" VARCHAR(300) NOT NULL,
    "project_id" UUID NOT NULL,
    "state" VARCHAR(8) NOT NULL,
    "labels" JSONB NOT NULL DEFAULT '{}',
    "pending_since" TIMESTAMPTZ(3),
    "firing_since" TIMESTAMPTZ(3),
    "last_value" DOUBLE PRECISION,
    "last_notified_at" TIMESTAMPTZ(3),
    "notified_firing" BOOLEAN NOT NULL DEFAULT false,
    "incident_id" UUID,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "alert_states_pkey" PRIMARY KEY ("rule_id", "series_key")
);
ALTER TABLE "alert_states" ADD CONSTRAINT "alert_states_rule_id_fkey" FOREIGN KEY ("rule_id") REFERENCES "alert_rules"("id") ON DELETE CASCADE ON UPDATE CASCADE;

CREATE TABLE "alert_incidents" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "project_id" UUID NOT NULL,
    "rule_id" UUID,
    "series_key" VARCHAR(300) NOT NULL,
    "dedup_key" VARCHAR(255) NOT NULL,
    "title" VARCHAR(500) NOT NULL,
    "severity" VARCHAR(8) NOT NULL,
    "status" VARCHAR(8) NOT NULL,
    "labels" JSONB NOT NULL DEFAULT '{}',
    "last_value" DOUBLE PRECISION,
    "started_at" TIMESTAMPTZ(3) NOT NULL,
    "resolved_at" TIMESTAMPTZ(3),
    CONSTRAINT "alert_incidents_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "alert_incidents_project_id_started_at_idx" ON "alert_incidents"("project_id", "started_at" DESC);
CREATE INDEX "alert_incidents_rule_id_idx" ON "alert_incidents"("rule_id");
ALTER TABLE "alert_incidents" ADD CONSTRAINT "alert_incidents_rule_id_fkey" FOREIGN KEY ("rule_id") REFERENCES "alert_rules"("id") ON DELETE SET NULL ON UPDATE CASCADE;

CREATE TABLE "alert_incident_events" (
    "id" BIGSERIAL NOT NULL,
    "incident_id" UUID NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL,
    "kind" VARCHAR(32) NOT NULL,
    "message" VARCHAR(1000) NOT NULL,
    "detail" JSONB NOT NULL DEFAULT '{}',
    CONSTRAINT "alert_incident_events_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "alert_incident_events_incident_id_at_idx" ON "alert_incident_events"("incident_id", "at");
ALTER TABLE "alert_incident_events" ADD CONSTRAINT "alert_incident_events_incident_id_fkey" FOREIGN KEY ("incident_id") REFERENCES "alert_incidents"("id") ON DELETE CASCADE ON UPDATE CASCADE;

CREATE TABLE "alert_deliveries" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "project_id" UUID NOT NULL,
    "channel_id" UUID NOT NULL,
    "incident_id" UUID,
    "kind" VARCHAR(16) NOT NULL,
    "payload" JSONB NOT NULL,
    "status" VARCHAR(12) NOT NULL,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "next_attempt_at" TIMESTAMPTZ(3) NOT NULL,
    "locked_until" TIMESTAMPTZ(3),
    "last_error" VARCHAR(1000),
    "digest_id" UUID,
    "created_at" TIMESTAMPTZ(3) NOT NULL,
    "sent_at" TIMESTAMPTZ(3),
    CONSTRAINT "alert_deliveries_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "alert_deliveries_status_next_attempt_at_idx" ON "alert_deliveries"("status", "next_attempt_at");
CREATE INDEX "alert_deliveries_channel_id_created_at_idx" ON "alert_deliveries"("channel_id", "created_at");
CREATE INDEX "alert_deliveries_incident_id_idx" ON "alert_deliveries"("incident_id");
ALTER TABLE "alert_deliveries" ADD CONSTRAINT "alert_deliveries_channel_id_fkey" FOREIGN KEY ("channel_id") REFERENCES "alert_channels"("id") ON DELETE CASCADE ON UPDATE CASCADE;

CREATE TABLE "weekly_reports" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "org_id" UUID NOT NULL,
    "week_start" DATE NOT NULL,
    "time_zone" VARCHAR(64) NOT NULL,
    "content" JSONB NOT NULL,
    "html" TEXT NOT NULL,
    "text" TEXT NOT NULL,
    "generated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "weekly_reports_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "weekly_reports_org_id_week_start_key" ON "weekly_reports"("org_id", "week_start");

CREATE TABLE "weekly_report_sends" (
    "report_id" UUID NOT NULL,
    "user_id" UUID NOT NULL,
    "email" VARCHAR(254) NOT NULL,
    "status" VARCHAR(12) NOT NULL,
    "sent_at" TIMESTAMPTZ(3),
    CONSTRAINT "weekly_report_sends_pkey" PRIMARY KEY ("report_id", "user_id")
);
ALTER TABLE "weekly_report_sends" ADD CONSTRAINT "weekly_report_sends_report_id_fkey" FOREIGN KEY ("report_id") REFERENCES "weekly_reports"("id") ON DELETE CASCADE ON UPDATE CASCADE;

CREATE TABLE "report_opt_outs" (
    "org_id" UUID NOT NULL,
    "user_id" UUID NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "report_opt_outs_pkey" PRIMARY KEY ("org_id", "user_id")
);
