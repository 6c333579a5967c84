/**
 * The per-project event and rollup tables carry project_id but, by design, no foreign key
 * (DESIGN.md "Scale"), so deleting a project or an organisation does not cascade to them. They are
 * found in the catalog, so a table added later is not forgotten.
 */
import type { prisma } from "../db/prisma";

type Tx = Pick<typeof prisma, "$queryRaw" | "$executeRawUnsafe">;

/** Tables with a project_id column and no foreign key on it (partitions are reached through their parent). */
async function unlinkedProjectTables(tx: Tx): Promise<string[]> {
  const rows = await tx.$queryRaw<Array<{ table: string }>>`
    SELECT c.relname AS table
      FROM pg_class c
      JOIN pg_namespace n ON n.oid = c.relnamespace
      JOIN pg_attribute a ON a.attrelid = c.oid AND a.attname = 'project_id' AND NOT a.attisdropped
     WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p') AND NOT c.relispartition
       AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conrelid = c.oid AND k.contype = 'f' AND a.attnum = ANY(k.conkey))
     ORDER BY 1`;
  return rows.map((r) => r.table);
}

/** Deletes every unlinked row of these projects; returns the rows deleted per table (tables with none left out). */
export async function deleteUnlinkedProjectRows(tx: Tx, projectIds: string[]): Promise<Record<string, number>> {
  const rowsDeleted: Record<string, number> = {};
  if (!projectIds.length) return rowsDeleted;
  for (const table of await unlinkedProjectTables(tx)) {
    // Table names come from the catalog, never from input.
    const n = await tx.$executeRawUnsafe(`DELETE FROM "${table}" WHERE project_id = ANY($1::uuid[])`, projectIds);
    if (n) rowsDeleted[table] = n;
  }
  return rowsDeleted;
}
