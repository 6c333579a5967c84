import type { SqlParams } from "@/server/db/sql";

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
