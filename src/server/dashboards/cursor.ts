import type { SqlParams } from "@/server/db/sql";

/**
 * Opaque keyset cursors: base64url of `[sortValue, id]` of the last row returned. The next page
 * is every row strictly after it in `ORDER BY sortValue DESC, id DESC` order, so pages never skip
 * or repeat rows while new events arrive. (Queries select `id::text AS id`, so their ORDER BY names
 * the table's column — `logs.id` — or Postgres would sort by the text alias: "10" < "9".)
 */
export type Cursor = { at: string; id: string };

export function encodeCursor(cursor: Cursor): string {
  return Buffer.from(JSON.stringify([cursor.at, cursor.id])).toString("base64url");
}

export function decodeCursor(text: string): Cursor | null {
  try {
    const value: unknown = JSON.parse(Buffer.from(text, "base64url").toString("utf8"));
    if (!Array.isArray(value) || value.length !== 2) return null;
    const [at, id] = value;
    if (typeof at !== "string" || typeof id !== "string" || id.length > 64 || at.length > 64) return null;
    return { at, id };
  } catch {
    return null;
  }
}

/** The cursor for the page after `rows` (which were fetched with `limit + 1`), and the page itself. */
export function page<R>(rows: R[], limit: number, key: (row: R) => Cursor): { items: R[]; nextCursor: string | null } {
  if (rows.length <= limit) return { items: rows, nextCursor: null };
  const items = rows.slice(0, limit);
  return { items, nextCursor: encodeCursor(key(items[items.length - 1]!)) };
}

/** WHERE conditions for `from`/`to` on a time column and a keyset cursor after (`at`, `id`) in DESC order. */
export function timeWindow(
  p: SqlParams,
  column: string,
  idColumn: string,
  options: { from?: Date; to?: Date; cursor?: { at: string; id: string }; idType?: "bigint" | "uuid" },
): string[] {
  const where: string[] = [];
  if (options.from) where.push(`${column} >= ${p.add(options.from)}`);
  if (options.to) where.push(`${column} < ${p.add(options.to)}`);
  if (options.cursor) {
    const at = p.add(options.cursor.at);
    const id = p.add(options.cursor.id);
    const cast = options.idType === "uuid" ? "uuid" : "bigint";
    where.push(`${column} <= ${at}::timestamptz`, `(${column} < ${at}::timestamptz OR ${idColumn} < ${id}::${cast})`);
  }
  return where;
}
