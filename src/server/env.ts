import "server-only";
import { createEnv } from "@t3-oss/env-nextjs";
import { z } from "zod";
import { ZJobsRunner, ZJobsSchedule } from "./job-settings";

const intFrom = (fallback: number) => z.coerce.number().int().positive().default(fallback);
/** A retention in days: 1 day to 10 years (the same bounds as a project's override). */
const retentionDays = (name: string) =>
  z.coerce
    .number({ error: `${name} must be a whole number of days between 1 and 3650` })
    .int(`${name} must be a whole number of days between 1 and 3650`)
    .min(1, `${name} must be at least 1 day`)
    .max(3650, `${name} must be at most 3650 days (10 years)`);
const flag = (name: string, fallback: "0" | "1") =>
  z
    .enum(["0", "1", "true", "false"], { error: `${name} must be 1 or 0` })
    .default(fallback)
    .transform((v) => v === "1" || v === "true");

/**
 * The only place that reads process.env. Every value is validated once, at start; a
 * bad value stops the process with a message that says how to fix it.
 */
export const env = createEnv({
  server: {
    NODE_ENV: z.enum(["development", "test", "production"]).default("development"),
    DATABASE_URL: z
      .string({ error: "DATABASE_URL is unset: run `npm start` (it starts an embedded Postgres) or set it to postgres://user@host:5432/db" })
      .url("DATABASE_URL must be a URL such as postgres://postgres@127.0.0.1:5432/sightline"),
    DATABASE_POOL_MAX: intFrom(10),
    DATABASE_CONNECT_TIMEOUT_MS: intFrom(10_000),
    DATABASE_QUERY_TIMEOUT_MS: z.coerce.number().int().min(0).default(120_000),
    NEXTAUTH_SECRET: z
      .string({ error: "NEXTAUTH_SECRET is unset: generate one with `openssl rand -base64 32`" })
      .min(32, "NEXTAUTH_SECRET must be at least 32 characters: generate one with `openssl rand -base64 32`"),
    NEXTAUTH_URL: z.string().url("NEXTAUTH_URL must be the portal's public URL, e.g. http://localhost:3000").optional(),
    SESSION_MAX_AGE_SECONDS: intFrom(60 * 60 * 24 * 7),
    SIGNIN_MAX_FAILURES: intFrom(5),
    SIGNIN_WINDOW_SECONDS: intFrom(15 * 60),
    SIGNIN_IP_MAX_FAILURES: intFrom(50),
    INVITATION_TTL_HOURS: intFrom(72),
    REDIS_URL: z.string().url("REDIS_URL must look like redis://127.0.0.1:6379").optional(),
    RESEND_API_KEY: z.string().min(1).optional(),
    RESEND_BASE_URL: z.string().url("RESEND_BASE_URL must be a URL such as https://api.resend.com").optional(),
    EMAIL_FROM: z.string().min(3).default("Sightline <sightline@localhost>"),
    LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
    OTEL_EXPORTER_OTLP_ENDPOINT: z.string().url().optional(),
    OTEL_SERVICE_NAME: z.string().default("sightline"),
    INNGEST_SIGNING_KEY: z
      .string()
      .regex(
        /^(signkey-[a-z]+-)?[0-9a-f]{16,}$/i,
        "INNGEST_SIGNING_KEY must be the signing key from Inngest (signkey-prod-<hex>), or unset with INNGEST_DEV=1 locally",
      )
      .optional(),
    INNGEST_EVENT_KEY: z.string().min(1).optional(),
    INNGEST_DEV: z
      .enum(["0", "1", "true", "false"], { error: "INNGEST_DEV must be 1 (use the local Inngest dev server, no signatures) or 0" })
      .optional()
      .transform((v) => (v === undefined ? undefined : v === "1" || v === "true")),
    AUDIT_SIGNING_KEY: z
      .string()
      .refine((v) => Buffer.from(v, "base64").length === 32, "AUDIT_SIGNING_KEY must be 32 random bytes in base64: generate one with `openssl rand -base64 32`")
      .optional(),
    TRUSTED_PROXIES: z.coerce
      .number({ error: "TRUSTED_PROXIES must be the number of reverse proxies in front of the portal (0 when none)" })
      .int()
      .min(0)
      .max(10)
      .default(0),
    JOBS_RUNNER: ZJobsRunner.optional(),
    JOBS_SCHEDULE: ZJobsSchedule.optional(),
    JOBS_LEASE_SECONDS: intFrom(60),
    INGEST_MAX_BODY_BYTES: intFrom(5 * 1024 * 1024),
    INGEST_MAX_EVENTS_PER_BATCH: intFrom(1000),
    INGEST_MAX_CONCURRENT_BATCHES: intFrom(4),
    INGEST_MAX_QUEUED_BATCHES: z.coerce.number().int().min(0).default(16),
    INGEST_MAX_QUEUE_WAIT_MS: intFrom(1_000),
    INGEST_RATE_LIMIT_REQUESTS: intFrom(1200),
    INGEST_RATE_LIMIT_WINDOW_SECONDS: intFrom(60),
    INGEST_MAX_PAST_SECONDS: intFrom(30 * 24 * 60 * 60),
    INGEST_MAX_FUTURE_SECONDS: intFrom(10 * 60),
    ALERTS_ALLOW_PRIVATE_WEBHOOKS: z
      .enum(["0", "1", "true", "false"], { error: "ALERTS_ALLOW_PRIVATE_WEBHOOKS must be 1 or 0 (1 lets alert webhooks reach loopback/private addresses)" })
      .default("0")
      .transform((v) => v === "1" || v === "true"),
    RETENTION_DEFAULT_DAYS: retentionDays("RETENTION_DEFAULT_DAYS").default(30),
    RETENTION_LOGS_DAYS: retentionDays("RETENTION_LOGS_DAYS").optional(),
    RETENTION_REQUESTS_DAYS: retentionDays("RETENTION_REQUESTS_DAYS").optional(),
    RETENTION_ERROR_EVENTS_DAYS: retentionDays("RETENTION_ERROR_EVENTS_DAYS").optional(),
    RETENTION_LLM_CALLS_DAYS: retentionDays("RETENTION_LLM_CALLS_DAYS").optional(),
    RETENTION_SPANS_DAYS: retentionDays("RETENTION_SPANS_DAYS").optional(),
    RETENTION_METRICS_DAYS: retentionDays("RETENTION_METRICS_DAYS").optional(),
    RETENTION_PRODUCT_EVENTS_DAYS: retentionDays("RETENTION_PRODUCT_EVENTS_DAYS").optional(),
    RETENTION_ROLLUPS_DAYS: retentionDays("RETENTION_ROLLUPS_DAYS").optional(),
    // Retention never deletes the audit log; this is the least it promises to keep (shown in Settings → Data).
    RETENTION_AUDIT_DAYS: retentionDays("RETENTION_AUDIT_DAYS")
      .min(365, "RETENTION_AUDIT_DAYS must be at least 365 days (the audit log's minimum)")
      .default(365),
    ARCHIVE_BEFORE_DELETE: flag("ARCHIVE_BEFORE_DELETE", "1"),
    ARCHIVE_DIR: z.string().min(1).default(".sightline/archive"),
    ARCHIVE_S3_BUCKET: z
      .string()
      .regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, "ARCHIVE_S3_BUCKET must be an S3 bucket name (3-63 lowercase letters, digits, dots, hyphens)")
      .optional(),
    ARCHIVE_S3_ENDPOINT: z.string().url("ARCHIVE_S3_ENDPOINT must be a URL such as https://s3.eu-central-1.amazonaws.com or http://127.0.0.1:9000").optional(),
    ARCHIVE_S3_REGION: z.string().min(1).default("us-east-1"),
    ARCHIVE_S3_ACCESS_KEY_ID: z.string().min(1).optional(),
    ARCHIVE_S3_SECRET_ACCESS_KEY: z.string().min(1).optional(),
    ARCHIVE_S3_FORCE_PATH_STYLE: flag("ARCHIVE_S3_FORCE_PATH_STYLE", "1"),
  },
  client: {},
  runtimeEnv: {
    NODE_ENV: process.env.NODE_ENV,
    DATABASE_URL: process.env.DATABASE_URL,
    DATABASE_POOL_MAX: process.env.DATABASE_POOL_MAX,
    DATABASE_CONNECT_TIMEOUT_MS: process.env.DATABASE_CONNECT_TIMEOUT_MS,
    DATABASE_QUERY_TIMEOUT_MS: process.env.DATABASE_QUERY_TIMEOUT_MS,
    NEXTAUTH_SECRET: process.env.NEXTAUTH_SECRET,
    NEXTAUTH_URL: process.env.NEXTAUTH_URL,
    SESSION_MAX_AGE_SECONDS: process.env.SESSION_MAX_AGE_SECONDS,
    SIGNIN_MAX_FAILURES: process.env.SIGNIN_MAX_FAILURES,
    SIGNIN_WINDOW_SECONDS: process.env.SIGNIN_WINDOW_SECONDS,
    SIGNIN_IP_MAX_FAILURES: process.env.SIGNIN_IP_MAX_FAILURES,
    INVITATION_TTL_HOURS: process.env.INVITATION_TTL_HOURS,
    REDIS_URL: process.env.REDIS_URL,
    RESEND_API_KEY: process.env.RESEND_API_KEY,
    RESEND_BASE_URL: process.env.RESEND_BASE_URL,
    EMAIL_FROM: process.env.EMAIL_FROM,
    LOG_LEVEL: process.env.LOG_LEVEL,
    OTEL_EXPORTER_OTLP_ENDPOINT: process.env.OTEL_EXPORTER_OTLP_ENDPOINT,
    OTEL_SERVICE_NAME: process.env.OTEL_SERVICE_NAME,
    INNGEST_SIGNING_KEY: process.env.INNGEST_SIGNING_KEY,
    INNGEST_EVENT_KEY: process.env.INNGEST_EVENT_KEY,
    INNGEST_DEV: process.env.INNGEST_DEV,
    AUDIT_SIGNING_KEY: process.env.AUDIT_SIGNING_KEY,
    TRUSTED_PROXIES: process.env.TRUSTED_PROXIES,
    JOBS_RUNNER: process.env.JOBS_RUNNER,
    JOBS_SCHEDULE: process.env.JOBS_SCHEDULE,
    JOBS_LEASE_SECONDS: process.env.JOBS_LEASE_SECONDS,
    INGEST_MAX_BODY_BYTES: process.env.INGEST_MAX_BODY_BYTES,
    INGEST_MAX_EVENTS_PER_BATCH: process.env.INGEST_MAX_EVENTS_PER_BATCH,
    INGEST_MAX_CONCURRENT_BATCHES: process.env.INGEST_MAX_CONCURRENT_BATCHES,
    INGEST_MAX_QUEUED_BATCHES: process.env.INGEST_MAX_QUEUED_BATCHES,
    INGEST_MAX_QUEUE_WAIT_MS: process.env.INGEST_MAX_QUEUE_WAIT_MS,
    INGEST_RATE_LIMIT_REQUESTS: process.env.INGEST_RATE_LIMIT_REQUESTS,
    INGEST_RATE_LIMIT_WINDOW_SECONDS: process.env.INGEST_RATE_LIMIT_WINDOW_SECONDS,
    INGEST_MAX_PAST_SECONDS: process.env.INGEST_MAX_PAST_SECONDS,
    INGEST_MAX_FUTURE_SECONDS: process.env.INGEST_MAX_FUTURE_SECONDS,
    ALERTS_ALLOW_PRIVATE_WEBHOOKS: process.env.ALERTS_ALLOW_PRIVATE_WEBHOOKS,
    RETENTION_DEFAULT_DAYS: process.env.RETENTION_DEFAULT_DAYS,
    RETENTION_LOGS_DAYS: process.env.RETENTION_LOGS_DAYS,
    RETENTION_REQUESTS_DAYS: process.env.RETENTION_REQUESTS_DAYS,
    RETENTION_ERROR_EVENTS_DAYS: process.env.RETENTION_ERROR_EVENTS_DAYS,
    RETENTION_LLM_CALLS_DAYS: process.env.RETENTION_LLM_CALLS_DAYS,
    RETENTION_SPANS_DAYS: process.env.RETENTION_SPANS_DAYS,
    RETENTION_METRICS_DAYS: process.env.RETENTION_METRICS_DAYS,
    RETENTION_PRODUCT_EVENTS_DAYS: process.env.RETENTION_PRODUCT_EVENTS_DAYS,
    RETENTION_ROLLUPS_DAYS: process.env.RETENTION_ROLLUPS_DAYS,
    RETENTION_AUDIT_DAYS: process.env.RETENTION_AUDIT_DAYS,
    ARCHIVE_BEFORE_DELETE: process.env.ARCHIVE_BEFORE_DELETE,
    ARCHIVE_DIR: process.env.ARCHIVE_DIR,
    ARCHIVE_S3_BUCKET: process.env.ARCHIVE_S3_BUCKET,
    ARCHIVE_S3_ENDPOINT: process.env.ARCHIVE_S3_ENDPOINT,
    ARCHIVE_S3_REGION: process.env.ARCHIVE_S3_REGION,
    ARCHIVE_S3_ACCESS_KEY_ID: process.env.ARCHIVE_S3_ACCESS_KEY_ID,
    ARCHIVE_S3_SECRET_ACCESS_KEY: process.env.ARCHIVE_S3_SECRET_ACCESS_KEY,
    ARCHIVE_S3_FORCE_PATH_STYLE: process.env.ARCHIVE_S3_FORCE_PATH_STYLE,
  },
  emptyStringAsUndefined: true,
  // `next build` imports server modules without a database; the runtime validates.
  skipValidation: process.env.SKIP_ENV_VALIDATION === "1",
});
