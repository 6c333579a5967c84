import { z } from "zod";
import { ERROR_LEVELS, ERROR_STATUSES, ERROR_SUBSTATUSES } from "@/server/vocabulary";
import { page, timeWindow } from "./cursor";
import { ZCursor, ZLimit, ZList, ZSearch, ZText, ZTimeRange, ZTimeRangeCheck } from "./query-params";
import { containsPattern, SqlParams, type Db } from "@/server/db/sql";

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

type ErrorGroupItem = { id: string; lastSeen: Date; [key: string]: unknown };

const GROUP_COLUMNS = `g.id, g.fingerprint, g.title, g.culprit, g.type, g.level, g.status, g.substatus,
  g.count::float8 AS count, g.first_seen AS "firstSeen", g.last_seen AS "lastSeen",
  g.first_release AS "firstRelease", g.last_release AS "lastRelease", g.resolved_at AS "resolvedAt"`;

/**
 * Error groups of one project by most recent occurrence. `from`/`to` keep groups seen in that
 * window; `service`/`environment`/`release` keep groups with at least one event matching them
 * (in the window); `q` is a substring of the title.
 */
export function listErrorGroupsSql(options: { projectId: string; query: ListErrorGroupsQuery }) {
  const { query } = options;
  const p = new SqlParams();
  const projectId = p.add(options.projectId);
  const where = [`g.project_id = ${projectId}::uuid`, ...timeWindow(p, "g.last_seen", "g.id", { cursor: query.cursor, idType: "uuid" })];
  if (query.from) where.push(`g.last_seen >= ${p.add(query.from)}`);
  if (query.to) where.push(`g.first_seen < ${p.add(query.to)}`);
  if (query.status) where.push(`g.status::text = ANY(${p.add(query.status)}::text[])`);
  if (query.substatus) where.push(`g.substatus::text = ANY(${p.add(query.substatus)}::text[])`);
  if (query.level) where.push(`g.level = ANY(${p.add(query.level)}::text[])`);
  if (query.q) where.push(`g.title ILIKE ${p.add(containsPattern(query.q))}`);
  if (query.service || query.environment || query.release) {
    const e = [`e.project_id = ${projectId}::uuid`, `e.group_id = g.id`, ...timeWindow(p, "e.time", "e.id", { from: query.from, to: query.to })];
    if (query.service) e.push(`e.service = ${p.add(query.service)}`);
    if (query.environment) e.push(`e.environment = ${p.add(query.environment)}`);
    if (query.release) e.push(`e.release = ${p.add(query.release)}`);
    where.push(`EXISTS (SELECT 1 FROM error_events e WHERE ${e.join(" AND ")})`);
  }
  const text = `SELECT ${GROUP_COLUMNS} FROM error_groups g WHERE ${where.join(" AND ")}
    ORDER BY g.last_seen DESC, g.id DESC LIMIT ${p.add(query.limit + 1)}`;
  return { text, values: p.values };
}

export async function listErrorGroups(db: Db, options: { projectId: string; query: ListErrorGroupsQuery }) {
  const { rows } = await db.query<ErrorGroupItem>(listErrorGroupsSql(options));
  return page(rows, options.query.limit, (r) => ({ at: r.lastSeen.toISOString(), id: r.id }));
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
  const where = [
    `project_id = ${p.add(options.projectId)}::uuid`,
    `group_id = ${p.add(options.groupId)}::uuid`,
    ...timeWindow(p, "time", "id", query),
  ];
  if (query.service) where.push(`service = ${p.add(query.service)}`);
  if (query.environment) where.push(`environment = ${p.add(query.environment)}`);
  if (query.release) where.push(`release = ${p.add(query.release)}`);
  return {
    text: `SELECT ${ERROR_EVENT_COLUMNS} FROM error_events WHERE ${where.join(" AND ")} ORDER BY error_events.time DESC, error_events.id DESC LIMIT ${p.add(query.limit + 1)}`,
    values: p.values,
  };
}
