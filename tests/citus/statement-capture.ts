import pg from "pg";
import { DISTRIBUTED_BY_PROJECT } from "@/server/db/citus";
import { pool } from "@/server/db/pool";

export type Statement = { text: string; values: unknown[] };

const touchesDistributed = new RegExp(`(?:FROM|JOIN|INTO|UPDATE)\\s+(?:"?public"?\\.)?"?(?:${DISTRIBUTED_BY_PROJECT.join("|")})"?\\b`, "i");

/**
 * Records every statement sent through `pg` (the hot-path pool and Prisma's adapter alike)
 * while `work` runs, keeping the distinct ones that read or write a distributed table.
 */
export async function captureStatements(work: () => Promise<void>): Promise<Statement[]> {
  const seen = new Map<string, Statement>();
  const original = pg.Client.prototype.query;
  // biome-ignore lint/suspicious/noExplicitAny: pg's query() is heavily overloaded; we only peek at its arguments.
  (pg.Client.prototype as any).query = function (this: pg.Client, config: any, values?: any, callback?: any) {
    const text: unknown = typeof config === "string" ? config : config?.text;
    const params: unknown = Array.isArray(values) ? values : config?.values;
    if (typeof text === "string" && touchesDistributed.test(text) && !/^\s*EXPLAIN/i.test(text)) {
      seen.set(`${text}\u0000${JSON.stringify(params ?? [])}`, { text, values: (params as unknown[]) ?? [] });
    }
    // biome-ignore lint/suspicious/noExplicitAny: forwarding the caller's overload unchanged.
    return (original as any).call(this, config, values, callback);
  };
  try {
    await work();
  } finally {
    pg.Client.prototype.query = original;
  }
  return [...seen.values()];
}

type PlanNode = Record<string, unknown>;

function collectTaskCounts(node: unknown, out: number[]): number[] {
  if (Array.isArray(node)) for (const child of node) collectTaskCounts(child, out);
  else if (node && typeof node === "object") {
    for (const [key, value] of Object.entries(node as PlanNode)) {
      if (key === "Task Count" && typeof value === "number") out.push(value);
      else collectTaskCounts(value, out);
    }
  }
  return out;
}

function literal(value: unknown): string {
  if (value === null || value === undefined) return "NULL";
  if (value instanceof Date) return `'${value.toISOString()}'`;
  if (Array.isArray(value)) return `'${JSON.stringify(value).replace(/^\[/, "{").replace(/\]$/, "}").replace(/'/g, "''")}'`;
  return `'${String(value).replace(/'/g, "''")}'`;
}

/**
 * The Citus plan of a statement: every distributed job's task count, and the raw JSON. With
 * `inline`, parameters are written into the text as literals: Citus cannot EXPLAIN a
 * parameterised `WITH … INSERT … SELECT` ("could not create distributed plan"), though it runs it.
 */
export async function citusPlanOf(statement: Statement, options: { inline?: boolean } = {}): Promise<{ taskCounts: number[]; json: string }> {
  const text = options.inline ? statement.text.replace(/\$(\d+)/g, (_, n: string) => literal(statement.values[Number(n) - 1])) : statement.text;
  const { rows } = await pool.query(`EXPLAIN (FORMAT JSON) ${text}`, options.inline ? [] : statement.values);
  const plan = rows[0]["QUERY PLAN"] as unknown;
  return { taskCounts: collectTaskCounts(plan, []), json: JSON.stringify(plan) };
}
