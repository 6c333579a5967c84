/** Errors: group list (filtered, with counts, users affected and sparklines), group detail, triage. */
import { AppError } from "@/server/app-error";
import { auditFromActor, recordAudit, type AuditActor } from "@/server/audit/record";
import { prisma } from "@/server/db/prisma";
import type { ErrorStatus } from "@/server/vocabulary";
import type { MetricInput } from "./input";
import { grouped, num, readScope, series, seriesBucket, type ReadScope } from "./read";
import { measureSource, type DimFilters } from "./sources";
import { SqlParams, type Db } from "@/server/db/sql";
import { ERROR_TAGS, ERRORS, USERS } from "../rollup/specs";
import { grainsForStep, GRAINS } from "../rollup/buckets";


/**
 * One statement: the range's counts per group, the top groups (filtered by status and level), their
 * exact users affected and their sparklines. The users and sparkline reads need the top groups' ids,
 * so as separate statements they cost a second round trip. `withUsersAndSparklines: false` leaves
 * those two out (usersAffected null, no sparkline) for callers that list groups without them.
 */
export async function listErrorGroups(
  db: Db,
  input: MetricInput & { status?: ErrorStatus; level?: string[]; limit?: number; withUsersAndSparklines?: boolean },
) {
  const s = await readScope(db, input);
  const details = input.withUsersAndSparklines !== false;
  const p = new SqlParams();
  const counts = measureSource(p, ERRORS, { ...s, grains: GRAINS });
  const project = p.add(s.projectId);
  const conds = [`g.project_id = ${project}::uuid`];
  if (input.status) conds.push(`g.status = ${p.add(input.status)}::"ErrorGroupStatus"`);
  if (input.level?.length) conds.push(`g.level = ANY(${p.add(input.level)}::text[])`);
  const { rows } = await db.query<{
    id: string; title: string; culprit: string | null; type: string | null; level: string; status: string; substatus: string;
    first_seen: Date; last_seen: Date; total: string; count: string; last_release: string | null; users: string | null;
    spark: Array<{ t: string; value: number }> | null;
  }>(
    `WITH c AS (SELECT group_id, sum(count) AS count FROM (${counts}) s GROUP BY group_id),
     top AS MATERIALIZED (
       SELECT g.id, g.title, g.culprit, g.type, g.level, g.status, g.substatus, g.first_seen, g.last_seen, g.count AS total,
              g.last_release, c.count
         FROM c JOIN error_groups g ON g.project_id = ${project}::uuid AND g.id = c.group_id
        WHERE ${conds.join(" AND ")} ORDER BY c.count DESC, g.last_seen DESC LIMIT ${p.add(input.limit ?? 50)})
     ${details ? detailsSql(p, s) : "SELECT top.*, NULL AS users, NULL AS spark FROM top"}
      ORDER BY top.count DESC, top.last_seen DESC`,
    p.values,
  );
  return {
    range: { from: s.from, to: s.to, step: s.step.interval, timeZone: s.timeZone },
    groups: rows.map((r) => ({
      id: r.id, title: r.title, culprit: r.culprit, type: r.type, level: r.level, status: r.status, substatus: r.substatus,
      firstSeen: r.first_seen, lastSeen: r.last_seen, lastRelease: r.last_release,
      count: num(r.count), totalCount: num(r.total),
      usersAffected: r.users === null ? null : num(r.users),
      sparkline: (r.spark ?? []).map((x) => ({ t: new Date(x.t), value: num(x.value) })),
    })),
  };
}

/** The top groups' exact users affected and sparklines (CTEs after `top`, then the final SELECT). */
function detailsSql(p: SqlParams, s: ReadScope) {
  const users = measureSource(p, USERS, { ...s, filters: { ...s.filters, kind: "error" }, grains: GRAINS });
  const sparks = measureSource(p, ERRORS, { ...s, grains: grainsForStep(s.step, s.timeZone) });
  const { bucket, frame } = seriesBucket(p, s);
  // sp and f are MATERIALIZED: referenced from a per-group subquery, an inlined CTE is re-read for every group.
  return `,
     u AS (SELECT key, count(*) AS n FROM (SELECT DISTINCT s.key, s.user_id FROM (${users}) s
             WHERE s.key IN (SELECT id::text FROM top)) d GROUP BY key),
     sp AS MATERIALIZED (SELECT s.group_id, ${bucket("s.bucket_start")} AS t, sum(s.count) AS count FROM (${sparks}) s
             WHERE s.group_id IN (SELECT id FROM top) GROUP BY 1, 2),
     f AS MATERIALIZED (${frame()})
     SELECT top.*, coalesce(u.n, 0) AS users,
            (SELECT json_agg(json_build_object('t', f.t, 'value', coalesce(sp.count, 0)) ORDER BY f.t)
               FROM f LEFT JOIN sp ON sp.group_id = top.id AND sp.t = f.t) AS spark
       FROM top LEFT JOIN u ON u.key = top.id::text`;
}

const EVENT_COLUMNS = `id::text AS id, time, level, type, message, title, culprit, service, environment, release,
  trace_id AS "traceId", span_id AS "spanId", user_id AS "userId", tags`;

const GROUP_COLUMNS = `project_id AS "projectId", id, fingerprint, title, culprit, type, level, status, substatus, count,
  first_seen AS "firstSeen", last_seen AS "lastSeen", first_release AS "firstRelease", last_release AS "lastRelease",
  resolved_at AS "resolvedAt", created_at AS "createdAt", updated_at AS "updatedAt"`;

type ErrorGroupRow = {
  projectId: string; id: string; fingerprint: string; title: string; culprit: string | null; type: string | null; level: string;
  status: ErrorStatus; substatus: "new" | "ongoing" | "regressed"; count: string; firstSeen: Date; lastSeen: Date;
  firstRelease: string | null; lastRelease: string | null; resolvedAt: Date | null; createdAt: Date; updatedAt: Date;
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
      orderBy: "key, sum(count) DESC, value", limit: TAG_VALUES_LIMIT, extra,
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
    releases: rows.filter((r) => r.by_release).slice(0, 20).map((r) => ({ release: r.release || null, count: num(r.count) })),
    environments: rows.filter((r) => !r.by_release).slice(0, 20).map((r) => ({ environment: r.environment || null, count: num(r.count) })),
  };
}

/** Tag values returned for a group (by key, most frequent first). */
const TAG_VALUES_LIMIT = 500;

/** Resolve, ignore or reopen a group; writes `error_group.<status>` to the audit log in the same transaction. */
export async function setErrorGroupStatus(options: {
  projectId: string; orgId: string; groupId: string; status: ErrorStatus; actor: AuditActor;
}) {
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
        orgId: options.orgId, action, targetType: "error_group", targetId: options.groupId,
        metadata: { projectId: options.projectId, from: group.status, to: options.status },
      }),
      tx,
    );
    return updated;
  });
}
