/** Error groups: the one list (both orders and every caller's filter) and a group's events. */
import { z } from "zod";
import { ERROR_LEVELS, ERROR_STATUSES, ERROR_SUBSTATUSES, type ErrorStatus } from "@/server/vocabulary";
import { containsPattern, SqlParams, type Db } from "@/server/db/sql";
import { ERRORS, USERS } from "../rollup/specs";
import { grainsForStep, GRAINS } from "../rollup/buckets";
import { page, timeWindow, type Cursor } from "./cursor";
import { ZCursor, ZLimit, ZList, ZSearch, ZText, ZTimeRange, ZTimeRangeCheck } from "./query-params";
import { num, readScope, seriesBucket, type ReadScope } from "./read";
import { measureSource } from "./sources";

export const ZListErrorGroupsQuery = z
  .strictObject({
    ...ZTimeRange,
    service: ZText().optional(),
    environment: ZText(64).optional(),
    release: ZText().optional(),
    status: ZList(ERROR_STATUSES),
    substatus: ZList(ERROR_SUBSTATUSES),
    level: ZList(ERROR_LEVELS),
    q: ZSearch,
    limit: ZLimit,
    cursor: ZCursor("uuid"),
  })
  .superRefine(ZTimeRangeCheck);
type ListErrorGroupsQuery = z.output<typeof ZListErrorGroupsQuery>;

/**
 * What an error-group list can ask for — the one filter the errors page (tRPC), the org home, the
 * weekly report and `GET /api/v1/errors` all adapt to. The window is one rule for every caller: a
 * group is listed when it has at least one event in [`from`, `to`) that matches `service`,
 * `environment` and `release` (no window and no event filter: every group). `q` is a substring of
 * the title.
 */
type ErrorGroupFilter = {
  projectId: string;
  from?: Date;
  to?: Date;
  status?: readonly string[];
  substatus?: readonly string[];
  level?: readonly string[];
  q?: string;
  service?: string;
  environment?: string;
  release?: string;
  limit: number;
};

/**
 * Two orders over the same filter. `lastSeen`: most recent occurrence first, paged by an opaque
 * keyset cursor (the read API). `events`: most events in the range first, one page (the errors page
 * and its summaries), counted from rollups for closed buckets, with exact users affected and a
 * sparkline per group unless `withUsersAndSparklines` is false.
 */
export type ErrorGroupQuery = ErrorGroupFilter &
  ({ order: "lastSeen"; cursor?: Cursor } | { order: "events"; from: Date; to: Date; timeZone: string; rollups?: boolean; withUsersAndSparklines?: boolean });

export type ErrorGroupListItem = {
  id: string;
  fingerprint: string;
  title: string;
  culprit: string | null;
  type: string | null;
  level: string;
  status: ErrorStatus;
  substatus: "new" | "ongoing" | "regressed";
  firstSeen: Date;
  lastSeen: Date;
  firstRelease: string | null;
  lastRelease: string | null;
  resolvedAt: Date | null;
  /** All events of the group, ever. */
  totalCount: number;
  /** Events in the range (`events` order only; null for `lastSeen`). */
  events: number | null;
  usersAffected: number | null;
  sparkline: Array<{ t: Date; value: number }>;
};

const GROUP_COLUMNS = `g.id, g.fingerprint, g.title, g.culprit, g.type, g.level, g.status, g.substatus,
  g.count::float8 AS total, g.first_seen, g.last_seen, g.first_release, g.last_release, g.resolved_at`;

type GroupRow = {
  id: string;
  fingerprint: string;
  title: string;
  culprit: string | null;
  type: string | null;
  level: string;
  status: ErrorStatus;
  substatus: "new" | "ongoing" | "regressed";
  total: number;
  first_seen: Date;
  last_seen: Date;
  first_release: string | null;
  last_release: string | null;
  resolved_at: Date | null;
  count?: string;
  users?: string | null;
  spark?: Array<{ t: string; value: number }> | null;
};

/** The group-level conditions of a filter (alias g), shared by both orders. */
function groupConditions(p: SqlParams, f: ErrorGroupFilter, project: string): string[] {
  const where = [`g.project_id = ${project}::uuid`];
  if (f.status?.length) where.push(`g.status::text = ANY(${p.add(f.status)}::text[])`);
  if (f.substatus?.length) where.push(`g.substatus::text = ANY(${p.add(f.substatus)}::text[])`);
  if (f.level?.length) where.push(`g.level = ANY(${p.add(f.level)}::text[])`);
  if (f.q) where.push(`g.title ILIKE ${p.add(containsPattern(f.q))}`);
  return where;
}

/** "Has an event in the window matching the event filters", read from error_events. */
function eventExists(p: SqlParams, f: ErrorGroupFilter, project: string, window: { from?: Date; to?: Date }): string {
  const e = [`e.project_id = ${project}::uuid`, `e.group_id = g.id`, ...timeWindow(p, "e.time", "e.id", window)];
  if (f.service) e.push(`e.service = ${p.add(f.service)}`);
  if (f.environment) e.push(`e.environment = ${p.add(f.environment)}`);
  if (f.release) e.push(`e.release = ${p.add(f.release)}`);
  return `EXISTS (SELECT 1 FROM error_events e WHERE ${e.join(" AND ")})`;
}

/** The `lastSeen` order's statement (exported so tests can EXPLAIN it). */
export function listErrorGroupsSql(query: ErrorGroupFilter & { cursor?: Cursor }) {
  const p = new SqlParams();
  const project = p.add(query.projectId);
  const where = [...groupConditions(p, query, project), ...timeWindow(p, "g.last_seen", "g.id", { cursor: query.cursor, idType: "uuid" })];
  // An event in the window implies the group's lifetime overlaps it: these two narrow by the index first.
  if (query.from) where.push(`g.last_seen >= ${p.add(query.from)}`);
  if (query.to) where.push(`g.first_seen < ${p.add(query.to)}`);
  if (query.from || query.to || query.service || query.environment || query.release) {
    where.push(eventExists(p, query, project, { from: query.from, to: query.to }));
  }
  const text = `SELECT ${GROUP_COLUMNS} FROM error_groups g WHERE ${where.join(" AND ")}
    ORDER BY g.last_seen DESC, g.id DESC LIMIT ${p.add(query.limit + 1)}`;
  return { text, values: p.values };
}

/**
 * The `events` order in one statement: the range's counts per group, the top groups, their exact
 * users affected and their sparklines. The users and sparkline reads need the top groups' ids, so
 * as separate statements they cost a second round trip.
 */
async function byEvents(db: Db, query: Extract<ErrorGroupQuery, { order: "events" }>, s: ReadScope) {
  const details = query.withUsersAndSparklines !== false;
  const p = new SqlParams();
  const counts = measureSource(p, ERRORS, { ...s, grains: GRAINS });
  const project = p.add(s.projectId);
  const where = groupConditions(p, query, project);
  // service is no dimension of the error rollups: it is checked on the events themselves.
  if (query.service) where.push(eventExists(p, query, project, { from: s.from, to: s.to }));
  const { rows } = await db.query<GroupRow>(
    `WITH c AS (SELECT group_id, sum(count) AS count FROM (${counts}) s GROUP BY group_id),
     top AS MATERIALIZED (
       SELECT ${GROUP_COLUMNS}, c.count
         FROM c JOIN error_groups g ON g.project_id = ${project}::uuid AND g.id = c.group_id
        WHERE ${where.join(" AND ")} ORDER BY c.count DESC, g.last_seen DESC LIMIT ${p.add(query.limit)})
     ${details ? detailsSql(p, s) : "SELECT top.*, NULL AS users, NULL AS spark FROM top"}
      ORDER BY top.count DESC, top.last_seen DESC`,
    p.values,
  );
  return rows;
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

const item = (r: GroupRow): ErrorGroupListItem => ({
  id: r.id,
  fingerprint: r.fingerprint,
  title: r.title,
  culprit: r.culprit,
  type: r.type,
  level: r.level,
  status: r.status,
  substatus: r.substatus,
  firstSeen: r.first_seen,
  lastSeen: r.last_seen,
  firstRelease: r.first_release,
  lastRelease: r.last_release,
  resolvedAt: r.resolved_at,
  totalCount: Number(r.total),
  events: r.count === undefined ? null : num(r.count),
  usersAffected: r.users === undefined || r.users === null ? null : num(r.users),
  sparkline: (r.spark ?? []).map((x) => ({ t: new Date(x.t), value: num(x.value) })),
});

type ReadRange = { from: Date; to: Date; step: string; timeZone: string };
type ErrorGroupList = { groups: ErrorGroupListItem[]; nextCursor: string | null; range: ReadRange | null };

/**
 * The one error-group list. `range` is the window actually read (`events` order: its start is
 * aligned to the chart step, see readScope); `nextCursor` is set only by the `lastSeen` order.
 */
export async function listErrorGroups(db: Db, query: Extract<ErrorGroupQuery, { order: "events" }>): Promise<ErrorGroupList & { range: ReadRange }>;
export async function listErrorGroups(db: Db, query: ErrorGroupQuery): Promise<ErrorGroupList>;
export async function listErrorGroups(db: Db, query: ErrorGroupQuery): Promise<ErrorGroupList> {
  if (query.order === "lastSeen") {
    const { rows } = await db.query<GroupRow>(listErrorGroupsSql(query));
    const paged = page(rows, query.limit, (r) => ({ at: r.last_seen.toISOString(), id: r.id }));
    return { groups: paged.items.map(item), nextCursor: paged.nextCursor, range: null };
  }
  const filters = { environment: query.environment, release: query.release };
  const s = await readScope(db, { projectId: query.projectId, from: query.from, to: query.to, timeZone: query.timeZone, filters, rollups: query.rollups });
  const rows = await byEvents(db, query, s);
  const range = { from: s.from, to: s.to, step: s.step.interval, timeZone: s.timeZone };
  return { groups: rows.map(item), nextCursor: null, range };
}

/** `GET /api/v1/errors`: the list by last occurrence, in the read API's shape. */
export async function listErrorGroupsForApi(db: Db, options: { projectId: string; query: ListErrorGroupsQuery }) {
  const found = await listErrorGroups(db, { ...options.query, projectId: options.projectId, order: "lastSeen" });
  return {
    items: found.groups.map((g) => ({
      id: g.id,
      fingerprint: g.fingerprint,
      title: g.title,
      culprit: g.culprit,
      type: g.type,
      level: g.level,
      status: g.status,
      substatus: g.substatus,
      count: g.totalCount,
      firstSeen: g.firstSeen,
      lastSeen: g.lastSeen,
      firstRelease: g.firstRelease,
      lastRelease: g.lastRelease,
      resolvedAt: g.resolvedAt,
    })),
    nextCursor: found.nextCursor,
  };
}

export const ZListErrorEventsQuery = z
  .strictObject({
    ...ZTimeRange,
    service: ZText().optional(),
    environment: ZText(64).optional(),
    release: ZText().optional(),
    limit: ZLimit,
    cursor: ZCursor("bigint"),
  })
  .superRefine(ZTimeRangeCheck);
type ListErrorEventsQuery = z.output<typeof ZListErrorEventsQuery>;

type ErrorEventItem = { id: string; time: Date; [key: string]: unknown };

export const ERROR_EVENT_COLUMNS = `id::text AS id, group_id AS "groupId", time, level, type, message, title, culprit, logger,
  service, environment, release, trace_id AS "traceId", span_id AS "spanId", user_id AS "userId",
  exception, tags, "user", extra, fingerprint_parts AS "fingerprintParts", redactions`;

/** The events of one error group, newest first; null when the group is not this project's. */
export async function listErrorEvents(db: Db, options: { projectId: string; groupId: string; query: ListErrorEventsQuery }) {
  const group = await db.query(`SELECT 1 FROM error_groups WHERE project_id = $1::uuid AND id = $2::uuid`, [options.projectId, options.groupId]);
  if (group.rowCount === 0) return null;
  const { rows } = await db.query<ErrorEventItem>(listErrorEventsSql(options));
  return page(rows, options.query.limit, (r) => ({ at: r.time.toISOString(), id: r.id }));
}

export function listErrorEventsSql(options: { projectId: string; groupId: string; query: ListErrorEventsQuery }) {
  const { query } = options;
  const p = new SqlParams();
  const where = [`project_id = ${p.add(options.projectId)}::uuid`, `group_id = ${p.add(options.groupId)}::uuid`, ...timeWindow(p, "time", "id", query)];
  if (query.service) where.push(`service = ${p.add(query.service)}`);
  if (query.environment) where.push(`environment = ${p.add(query.environment)}`);
  if (query.release) where.push(`release = ${p.add(query.release)}`);
  return {
    text: `SELECT ${ERROR_EVENT_COLUMNS} FROM error_events WHERE ${where.join(" AND ")} ORDER BY error_events.time DESC, error_events.id DESC LIMIT ${p.add(query.limit + 1)}`,
    values: p.values,
  };
}
