/**
 * Retention policy: instance defaults from the environment (RETENTION_DEFAULT_DAYS and
 * RETENTION_<KIND>_DAYS, validated in env.ts) and per-project overrides in `retention_policies`,
 * written by owners and admins and audited with old and new values.
 */
import { z } from "zod";
import { env } from "../env";
import { prisma } from "../db/prisma";
import type { Db } from "../db/sql";
import { auditFromActor, recordAudit, type AuditActor } from "../audit/record";
import { KIND_LABELS, MAX_RETENTION_DAYS, MIN_RETENTION_DAYS, RETENTION_KINDS, ZRetentionKind, type RetentionKind } from "./kinds";

/** `instance`: the environment's default for the kind; `override`: this project's own setting. */
export type PolicySource = "override" | "instance";
export type KindPolicy = { kind: RetentionKind; label: string; days: number; source: PolicySource; defaultDays: number };
export type ProjectPolicy = Record<RetentionKind, KindPolicy>;

const ENV_BY_KIND: Record<RetentionKind, number | undefined> = {
  get logs() {
    return env.RETENTION_LOGS_DAYS;
  },
  get requests() {
    return env.RETENTION_REQUESTS_DAYS;
  },
  get error_events() {
    return env.RETENTION_ERROR_EVENTS_DAYS;
  },
  get llm_calls() {
    return env.RETENTION_LLM_CALLS_DAYS;
  },
  get spans() {
    return env.RETENTION_SPANS_DAYS;
  },
  get metrics() {
    return env.RETENTION_METRICS_DAYS;
  },
  get product_events() {
    return env.RETENTION_PRODUCT_EVENTS_DAYS;
  },
  get rollups() {
    return env.RETENTION_ROLLUPS_DAYS;
  },
};

/** Rollups outlive raw data so long trends stay visible (issue #12). */
const ROLLUPS_DEFAULT_DAYS = 400;

/** The instance's default per kind: its own variable, else RETENTION_DEFAULT_DAYS (rollups: 400). */
function instanceDefaults(): Record<RetentionKind, number> {
  const out = {} as Record<RetentionKind, number>;
  for (const kind of RETENTION_KINDS) out[kind] = ENV_BY_KIND[kind] ?? (kind === "rollups" ? ROLLUPS_DEFAULT_DAYS : env.RETENTION_DEFAULT_DAYS);
  return out;
}

/** Effective policy of each project (defaults with that project's overrides applied). */
export async function policiesFor(db: Db, projectIds: string[]): Promise<Map<string, ProjectPolicy>> {
  const defaults = instanceDefaults();
  const { rows } = await db.query<{ project_id: string; kind: string; days: number }>(
    `SELECT project_id, kind, days FROM retention_policies WHERE project_id = ANY($1::uuid[])`,
    [projectIds],
  );
  const result = new Map<string, ProjectPolicy>();
  for (const id of projectIds) {
    const policy = {} as ProjectPolicy;
    for (const kind of RETENTION_KINDS) {
      policy[kind] = { kind, label: KIND_LABELS[kind], days: defaults[kind], source: "instance", defaultDays: defaults[kind] };
    }
    result.set(id, policy);
  }
  for (const row of rows) {
    const policy = result.get(row.project_id);
    const kind = ZRetentionKind.safeParse(row.kind);
    if (policy && kind.success) policy[kind.data] = { ...policy[kind.data], days: row.days, source: "override" };
  }
  return result;
}

export const ZSetRetention = z.object({
  kind: ZRetentionKind,
  /** null: back to the instance default. */
  days: z
    .number({ error: "days must be a whole number of days" })
    .int("days must be a whole number of days")
    .min(MIN_RETENTION_DAYS, `days must be at least ${MIN_RETENTION_DAYS}`)
    .max(MAX_RETENTION_DAYS, `days must be at most ${MAX_RETENTION_DAYS} (10 years)`)
    .nullable(),
});
export type SetRetentionInput = z.infer<typeof ZSetRetention>;

type Project = { id: string; orgId: string };

/** Sets (or, with days null, removes) one kind's override; audited with the old and new effective days. */
export async function setRetentionPolicy({ project, input, actor }: { project: Project; input: SetRetentionInput; actor: AuditActor }) {
  const { kind, days } = ZSetRetention.parse(input);
  const defaults = instanceDefaults();
  return prisma.$transaction(async (tx) => {
    // One writer per project at a time, so the audited old value is the one replaced.
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${"retention:" + project.id}, 0))`;
    const current = await tx.retentionPolicy.findUnique({ where: { projectId_kind: { projectId: project.id, kind } }, select: { days: true } });
    const oldDays = current?.days ?? defaults[kind];
    if (days === null) await tx.retentionPolicy.deleteMany({ where: { projectId: project.id, kind } });
    else {
      await tx.retentionPolicy.upsert({
        where: { projectId_kind: { projectId: project.id, kind } },
        create: { projectId: project.id, kind, days, updatedById: actor.userId },
        update: { days, updatedById: actor.userId, updatedAt: new Date() },
      });
    }
    const newDays = days ?? defaults[kind];
    await recordAudit(
      auditFromActor(actor, {
        orgId: project.orgId,
        action: "settings.changed",
        targetType: "project",
        targetId: project.id,
        metadata: {
          change: "retention.changed",
          kind,
          old: { days: oldDays, overridden: current !== null },
          new: { days: newDays, overridden: days !== null },
        },
      }),
      tx,
    );
    return { kind, days: newDays, source: (days === null ? "instance" : "override") as PolicySource };
  });
}
