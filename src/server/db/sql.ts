/**
 * The one SQL toolkit for raw-SQL reads and writes: the handle type every such function takes,
 * a parameter builder, and LIKE escaping. Conditions are fixed SQL text written in the calling
 * module; every value travels as a `$n` parameter, so nothing a caller sends is spliced into SQL.
 */
import type pg from "pg";

/**
 * What a raw-SQL function needs of the database: the pool, a checked-out client or a transaction's
 * client. Functions take it as their first argument and never import the pool themselves, so a job,
 * a test or a transaction can pass its own.
 */
export type Db = Pick<pg.Pool, "query">;

/** A handle that can also check a client out, for a function that runs its own transaction. */
export type DbPool = Pick<pg.Pool, "query" | "connect">;

export class SqlParams {
  readonly values: unknown[] = [];

  /** Adds a value and returns its placeholder (`$3`). */
  add(value: unknown): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }
}

/** Escapes `%`, `_` and `\` for a LIKE/ILIKE pattern. */
function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** A LIKE/ILIKE pattern matching `text` as a substring. */
export function containsPattern(text: string): string {
  return `%${escapeLike(text)}%`;
}
