import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";
import { pool } from "@/server/db/pool";

/**
 * schema.prisma is the source of the generated client; prisma/migrations/*.sql is what the
 * database really gets. This test parses the schema with Prisma's own parser (DMMF) and
 * compares it with the migrated database: tables, columns, types, nullability, enums, indexes.
 */
type DmmfField = {
  name: string;
  dbName?: string;
  kind: "scalar" | "enum" | "object";
  isList: boolean;
  isRequired: boolean;
  type: string;
  nativeType: [string, string[]] | null;
};
type Dmmf = {
  datamodel: {
    models: { name: string; dbName: string | null; fields: DmmfField[] }[];
    enums: { name: string; dbName: string | null; values: { name: string; dbName: string | null }[] }[];
    indexes: { model: string; type: "id" | "unique" | "normal" | "fulltext"; fields: { name: string }[] }[];
  };
};

const require = createRequire(import.meta.url);
const wasm = require("@prisma/prisma-schema-wasm") as { get_dmmf(params: string): string };
const dmmf = JSON.parse(wasm.get_dmmf(JSON.stringify({ prismaSchema: readFileSync("prisma/schema.prisma", "utf8") }))) as Dmmf;

const enumDbName = (name: string) => dmmf.datamodel.enums.find((e) => e.name === name)?.dbName ?? name;

/** The `format_type()` spelling Prisma's migrate would produce for a field. */
function expectedType(field: DmmfField): string {
  const [native, args = []] = field.nativeType ?? [];
  const withArgs = (base: string) => (args.length ? `${base}(${args.join(",")})` : base);
  let type: string;
  if (field.kind === "enum") type = `"${enumDbName(field.type)}"`;
  else if (native) {
    const map: Record<string, string> = {
      Uuid: "uuid",
      Text: "text",
      Inet: "inet",
      Citext: "citext",
      SmallInt: "smallint",
      Integer: "integer",
      BigInt: "bigint",
      Real: "real",
      DoublePrecision: "double precision",
      Boolean: "boolean",
      JsonB: "jsonb",
      Json: "json",
      ByteA: "bytea",
      Date: "date",
    };
    if (native === "VarChar") type = withArgs("character varying");
    else if (native === "Char") type = withArgs("character");
    else if (native === "Decimal") type = withArgs("numeric");
    else if (native === "Timestamptz") type = `timestamp(${args[0] ?? 6}) with time zone`;
    else if (native === "Timestamp") type = `timestamp(${args[0] ?? 6}) without time zone`;
    else type = map[native] ?? native.toLowerCase();
  } else {
    const map: Record<string, string> = {
      String: "text",
      Int: "integer",
      BigInt: "bigint",
      Float: "double precision",
      Decimal: "numeric(65,30)",
      Boolean: "boolean",
      DateTime: "timestamp(3) without time zone",
      Json: "jsonb",
      Bytes: "bytea",
    };
    type = map[field.type] ?? field.type;
  }
  return field.isList ? `${type}[]` : type;
}

type DbColumn = { table: string; column: string; type: string; not_null: boolean };

async function databaseColumns(): Promise<DbColumn[]> {
  const { rows } = await pool.query<DbColumn>(`
    SELECT c.relname AS table, a.attname AS column, format_type(a.atttypid, a.atttypmod) AS type, a.attnotnull AS not_null
      FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND NOT c.relispartition
       AND a.attnum > 0 AND NOT a.attisdropped AND c.relname <> '_prisma_migrations'`);
  return rows;
}

describe("schema.prisma and the migrations agree", () => {
  it("has the same tables, columns, types and nullability", async () => {
    const columns = await databaseColumns();
    const dbTables = new Set(columns.map((c) => c.table));
    const modelTables = dmmf.datamodel.models.map((m) => m.dbName ?? m.name);
    expect([...dbTables].sort(), "tables in the database vs models in schema.prisma").toEqual([...modelTables].sort());

    for (const model of dmmf.datamodel.models) {
      const table = model.dbName ?? model.name;
      const expected = model.fields
        .filter((f) => f.kind !== "object")
        .map((f) => ({ column: f.dbName ?? f.name, type: expectedType(f), not_null: f.isRequired }))
        .sort((a, b) => a.column.localeCompare(b.column));
      const actual = columns
        .filter((c) => c.table === table)
        .map(({ column, type, not_null }) => ({ column, type, not_null }))
        .sort((a, b) => a.column.localeCompare(b.column));
      expect(actual, `columns of ${table}`).toEqual(expected);
    }
  });

  it("compares the partitioned event tables as one table each, not their day partitions", async () => {
    const events = ["logs", "requests", "error_events", "llm_calls", "spans", "metric_points", "product_events"];
    const { rows } = await pool.query<{ name: string; kind: string; parts: number }>(
      `
      SELECT c.relname AS name, c.relkind::text AS kind, (SELECT count(*) FROM pg_inherits i WHERE i.inhparent = c.oid)::int AS parts
        FROM pg_class c WHERE c.relnamespace = 'public'::regnamespace AND c.relname = ANY($1) ORDER BY 1`,
      [events],
    );
    expect(rows.map((r) => r.name)).toEqual([...events].sort());
    for (const r of rows) expect({ name: r.name, kind: r.kind, partitioned: r.parts > 1 }).toEqual({ name: r.name, kind: "p", partitioned: true });
    const models = new Set(dmmf.datamodel.models.map((m) => m.dbName ?? m.name));
    expect(models.has("logs_default")).toBe(false);
    expect((await databaseColumns()).some((c) => c.table.startsWith("logs_p"))).toBe(false);
  });

  it("has the same enums", async () => {
    const { rows } = await pool.query<{ name: string; labels: string[] }>(`
      SELECT t.typname AS name, array_agg(e.enumlabel::text ORDER BY e.enumsortorder) AS labels
        FROM pg_type t JOIN pg_enum e ON e.enumtypid = t.oid GROUP BY t.typname`);
    const actual = Object.fromEntries(rows.map((r) => [r.name, r.labels]));
    for (const e of dmmf.datamodel.enums) {
      expect(actual[e.dbName ?? e.name], `enum ${e.name}`).toEqual(e.values.map((v) => v.dbName ?? v.name));
    }
  });

  it("has every index and unique constraint the schema declares", async () => {
    const { rows } = await pool.query<{ table: string; columns: string[]; is_unique: boolean; is_primary: boolean }>(`
      SELECT c.relname AS table, i.indisunique AS is_unique, i.indisprimary AS is_primary,
             array(SELECT a.attname::text FROM unnest(i.indkey) WITH ORDINALITY k(attnum, ord)
                     JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum ORDER BY k.ord) AS columns
        FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid JOIN pg_namespace n ON n.oid = c.relnamespace
       WHERE n.nspname = 'public'`);
    for (const index of dmmf.datamodel.indexes) {
      const model = dmmf.datamodel.models.find((m) => m.name === index.model)!;
      const table = model.dbName ?? model.name;
      const cols = index.fields.map((f) => {
        const field = model.fields.find((x) => x.name === f.name)!;
        return field.dbName ?? field.name;
      });
      const found = rows.find(
        (r) =>
          r.table === table && r.columns.join(",") === cols.join(",") && (index.type === "id" ? r.is_primary : index.type === "unique" ? r.is_unique : true),
      );
      expect(found, `${index.type} index on ${table}(${cols.join(", ")})`).toBeTruthy();
    }
  });
});
