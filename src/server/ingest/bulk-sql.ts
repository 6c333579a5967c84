/**
 * Set-based SQL for the ingest writer: every table's rows travel as one array parameter per
 * column and are expanded with `unnest`, so a batch is one statement whatever its size.
 */
import type { SqlParams } from "@/server/db/sql";
export type Column<R> = {
  name: string;
  /** Element type of the array parameter (`text`, `timestamptz`, `jsonb`, `int4`, …). */
  type: string;
  value: (row: R) => unknown;
  /** SQL for the selected value, `$` standing for the unnested element (casts, enums). */
  select?: string;
};

/** `INSERT INTO t (project_id, …) SELECT $project, … FROM unnest($a::t[], …) AS u(…)` + suffix. */
export function unnestInsert<R>(table: string, columns: Column<R>[], rows: R[], params: SqlParams, projectParam: string, suffix: string): string {
  const arrays = columns.map((c) => {
    const values = new Array(rows.length);
    for (let i = 0; i < rows.length; i++) values[i] = c.value(rows[i]!);
    return `${params.add(values)}::${c.type}[]`;
  });
  const names = columns.map((c) => `"${c.name}"`).join(", ");
  const aliases = columns.map((_, i) => `c${i}`);
  const selects = columns.map((c, i) => (c.select ? c.select.replaceAll("$", `u.c${i}`) : `u.c${i}`));
  return `INSERT INTO "${table}" ("project_id", ${names})
    SELECT ${projectParam}::uuid, ${selects.join(", ")} FROM unnest(${arrays.join(", ")}) AS u(${aliases.join(", ")})
    ${suffix}`;
}

/** A PostgreSQL array literal for a text[] column carried inside a text[] parameter. */
export function textArrayLiteral(items: readonly string[]): string {
  if (items.length === 0) return "{}";
  return `{${items.map((s) => `"${s.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`).join(",")}}`;
}

export const json = (value: unknown): string | null => (value === undefined || value === null ? null : JSON.stringify(value));
