/** Errors: the page's group list (over the one list in error-groups.ts), group detail, triage. */
import { AppError } from "@/server/app-error";
import { auditFromActor, recordAudit, type AuditActor } from "@/server/audit/record";
import { prisma } from "@/server/db/prisma";
import type { ErrorStatus } from "@/server/vocabulary";
import type { MetricInput } from "./input";
import { grouped, num, readScope, series, type ReadScope } from "./read";
import { measureSource, type DimFilters } from "./sources";
import { SqlParams, type Db } from "@/server/db/sql";
import { ERROR_TAGS, ERRORS } from "../rollup/specs";
import { GRAINS } from "../rollup/buckets";
import { listErrorGroups } from "./error-groups";

/**
 * The errors page's list (and the org home's and weekly report's): the one list ordered by events
 * in the range, in the page's shape (`count` is the range's events, `totalCount` all of them).
 */
export async function listErrorGroupsInRange(
  db: Db,
  input: MetricInput & { status?: ErrorStatus; level?: string[]; limit?: number; withUsersAndSparklines?: boolean },
) {
  const { filters, status, ...rest } = input;
  const found = await listErrorGroups(db, {
    ...rest,
    ...filters,
    status: status && [status],
    limit: input.limit ?? 50,
    order: "events",
  });
  return {
    range: found.range,
    groups: found.groups.map((g) => ({
      id: g.id,
      title: g.title,
      culprit: g.culprit,
      type: g.type,
      level: g.level,
      status: g.status,
      substatus: g.substatus,
      firstSeen: g.firstSeen,
      lastSeen: g.lastSeen,
      lastRelease: g.lastRelease,
      count: g.events ?? 0,
      totalCount: g.totalCount,
      usersAffected: g.usersAffected,
      sparkline: g.sparkline,
    })),
  };
}

const EVENT_COLUMNS = `id::text AS id, time, level, type, message, title, culprit, service, environment, release,
  trace_id AS "traceId", span_id AS "spanId", user_id AS "userId", tags`;

const GROUP_COLUMNS = `project_id AS "projectId", id, fingerprint, title, culprit, type, level, status, substatus, count,
  first_seen AS "firstSeen", last_seen AS "lastSeen", first_release AS "firstRelease", last_release AS "lastRelease",
  resolved_at AS "resolvedAt", created_at AS "createdAt", updated_at AS "updatedAt"`;

type ErrorGroupRow = {
  projectId: string;
  id: string;
  fingerprint: string;
  title: string;
  culprit: string | null;
  type: string | null;
  level: string;
  status: ErrorStatus;
  substatus: "new" | "ongoing" | "regressed";
  count: string;
  firstSeen: Date;
  lastSeen: Date;
  firstRelease: string | null;
  lastRelease: string | null;
  resolvedAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
};

export async function getErrorGroup(db: Db, input: MetricInput & { groupId: string }) {
  const [groups, s] = await Promise.all([
    db.query<ErrorGroupRow>(`SELECT ${GROUP_COLUMNS} FROM error_groups WHERE project_id = $1::uuid AND id = $2::uuid`, [input.projectId, input.groupId]),
    readScope(db, { ...input, filters: { ...input.filters } }),
  ]);
  const group = groups.rows[0];
  if (!group) throw new AppError("NOT_FOUND", "Error group not found");
  const extra = { group_id: input.groupId };
  // Four statements, so a page's reads fit the pool at once: releases and environments share one
  // (grouping sets), the latest event and the recent ones another.
  const [occurrences, breakdown, events, tags] = await Promise.all([
    series<{ count: string }>(s, ERRORS, "coalesce(sum(count), 0) AS count", extra),
    releasesAndEnvironments(s, extra),
    db.query(
      `(SELECT 'latest' AS part, ${EVENT_COLUMNS}, exception, "user", extra FROM error_events
         WHERE project_id = $1::uuid AND group_id = $2::uuid ORDER BY time DESC, id DESC LIMIT 1)
       UNION ALL
       (SELECT 'recent', ${EVENT_COLUMNS}, NULL, NULL, NULL FROM error_events
         WHERE project_id = $1::uuid AND group_id = $2::uuid AND time >= $3 AND time < $4 ORDER BY time DESC, id DESC LIMIT 20)`,
      [input.projectId, input.groupId, s.from, s.to],
    ),
    grouped<{ key: string; value: string; count: string }>(s, ERROR_TAGS, ["key", "value"], "sum(count) AS count", {
      orderBy: "key, sum(count) DESC, value",
      limit: TAG_VALUES_LIMIT,
      extra,
    }),
  ]);
  const [latest] = events.rows.filter((r) => r.part === "latest").map(({ part: _, ...event }) => event);
  const recent = events.rows.filter((r) => r.part === "recent").map(({ part: _, exception: _e, user: _u, extra: _x, ...event }) => event);
  return {
    group: { ...group, count: Number(group.count) },
    latestEvent: latest ?? null,
    occurrences: occurrences.map((r) => ({ t: r.t, value: num(r.count) })),
    releases: breakdown.releases,
    environments: breakdown.environments,
    tags: tags.map((r) => ({ key: r.key, value: r.value, count: num(r.count) })),
    recentEvents: recent,
  };
}

/** A group's events per release and per environment over the range, most first (20 of each). */
async function releasesAndEnvironments(s: ReadScope, extra: DimFilters) {
  const p = new SqlParams();
  const src = measureSource(p, ERRORS, { ...s, filters: { ...s.filters, ...extra }, grains: GRAINS });
  const { rows } = await s.db.query<{ release: string | null; environment: string | null; by_release: boolean; count: string }>(
    `SELECT release, environment, GROUPING(environment) = 1 AS by_release, sum(count) AS count FROM (${src}) s
      GROUP BY GROUPING SETS ((release), (environment)) ORDER BY sum(count) DESC`,
    p.values,
  );
  return {
    releases: rows
      .filter((r) => r.by_release)
      .slice(0, 20)
      .map((r) => ({ release: r.release || null, count: num(r.count) })),
    environments: rows
      .filter((r) => !r.by_release)
      .slice(0, 20)
      .map((r) => ({ environment: r.environment || null, count: num(r.count) })),
  };
}

/** Tag values returned for a group (by key, most frequent first). */
const TAG_VALUES_LIMIT = 500;

/** Resolve, ignore or reopen a group; writes `error_group.<status>` to the audit log in the same transaction. */
export async function setErrorGroupStatus(options: { projectId: string; orgId: string; groupId: string; status: ErrorStatus; actor: AuditActor }) {
  return prisma.$transaction(async (tx) => {
    const group = await tx.errorGroup.findUnique({
      where: { projectId_id: { projectId: options.projectId, id: options.groupId } },
      select: { status: true, substatus: true },
    });
    if (!group) throw new AppError("NOT_FOUND", "Error group not found");
    // updateMany (no RETURNING): on Citus, Prisma's RETURNING of enum columns casts them with a
    // STABLE function, which distributed tables refuse. The new values are known here anyway.
    const resolvedAt = options.status === "resolved" ? new Date() : null;
    const substatus = options.status === "unresolved" ? ("ongoing" as const) : group.substatus;
    await tx.errorGroup.updateMany({
      where: { projectId: options.projectId, id: options.groupId },
      data: { status: options.status, resolvedAt, substatus, updatedAt: new Date() },
    });
    const updated = { id: options.groupId, status: options.status, substatus, resolvedAt };
    const action = options.status === "unresolved" ? "error_group.reopened" : `error_group.${options.status}`;
    await recordAudit(
      auditFromActor(options.actor, {
        orgId: options.orgId,
        action,
        targetType: "error_group",
        targetId: options.groupId,
        metadata: { projectId: options.projectId, from: group.status, to: options.status },
      }),
      tx,
    );
    return updated;
  });
}
