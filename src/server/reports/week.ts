/** Report weeks: Monday 00:00 to the next Monday 00:00 in the organisation's time zone (DST-aware, via Postgres). */
import type { Db } from "@/server/db/sql";

export type ReportWeek = { weekStart: string; from: Date; to: Date; previousFrom: Date };

export async function reportWeek(db: Db, weekStart: string, timeZone: string): Promise<ReportWeek> {
  const { rows } = await db.query<{ from: Date; to: Date; prev: Date }>(
    `SELECT ($1::date)::timestamp AT TIME ZONE $2 AS "from", ($1::date + 7)::timestamp AT TIME ZONE $2 AS "to",
            ($1::date - 7)::timestamp AT TIME ZONE $2 AS prev`,
    [weekStart, timeZone],
  );
  return { weekStart, from: rows[0]!.from, to: rows[0]!.to, previousFrom: rows[0]!.prev };
}

/** Local weekday/hour at `now`, and the Monday that starts the last complete week. */
export async function localClock(db: Db, now: Date, timeZone: string) {
  const { rows } = await db.query<{ dow: number; hour: number; last_week: string }>(
    `SELECT extract(isodow FROM $1::timestamptz AT TIME ZONE $2)::int AS dow, extract(hour FROM $1::timestamptz AT TIME ZONE $2)::int AS hour,
            to_char(date_trunc('week', $1::timestamptz AT TIME ZONE $2) - interval '7 days', 'YYYY-MM-DD') AS last_week`,
    [now, timeZone],
  );
  return rows[0]!;
}
