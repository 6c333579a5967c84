/**
 * The archive format: per project, kind and UTC day a directory
 * `org=<id>/project=<id>/kind=<kind>/dt=YYYY-MM-DD/` holding numbered parts, each a gzip NDJSON file
 * (one table row per line, as Postgres' row_to_json wrote it) and a JSON manifest written after the
 * file was read back and its sha256 checked. A part without a manifest is not an archive (a crash
 * left it; the next run overwrites it). Reading a part checks its checksum and row count again.
 */
import { createHash } from "node:crypto";
import { gunzipSync } from "node:zlib";
import { z } from "zod";
import type { ArchiveStore } from "./archive-store";

export const ARCHIVE_SCHEMA_VERSION = 1;

export const ZManifest = z.object({
  schemaVersion: z.literal(ARCHIVE_SCHEMA_VERSION),
  orgId: z.string(),
  projectId: z.string(),
  kind: z.string(),
  table: z.string(),
  day: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  part: z.number().int().positive(),
  file: z.string(),
  rowCount: z.number().int().nonnegative(),
  firstTime: z.string(),
  lastTime: z.string(),
  bytes: z.number().int().nonnegative(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  createdAt: z.string(),
});
export type Manifest = z.infer<typeof ZManifest>;

export const utcDay = (d: Date) => d.toISOString().slice(0, 10);

export const projectPrefix = (orgId: string, projectId: string) => `org=${orgId}/project=${projectId}/`;
export const dayPrefix = (o: { orgId: string; projectId: string; kind: string; day: string }) =>
  `${projectPrefix(o.orgId, o.projectId)}kind=${o.kind}/dt=${o.day}/`;

const partName = (part: number) => `part-${String(part).padStart(5, "0")}`;
export const partKeys = (prefix: string, part: number) => ({
  data: `${prefix}${partName(part)}.ndjson.gz`,
  manifest: `${prefix}${partName(part)}.manifest.json`,
});

export const sha256 = (bytes: Buffer) => createHash("sha256").update(bytes).digest("hex");

export type ArchivedPart = { manifest: Manifest; key: string; lines: string[] };

/** Parses a part's NDJSON after checking that it is the file its manifest describes. */
export function verifyPart(manifest: Manifest, gz: Buffer | null): string[] {
  if (!gz) throw new Error(`archive ${manifest.file} is missing though its manifest exists`);
  if (sha256(gz) !== manifest.sha256) throw new Error(`archive ${manifest.file} does not match its manifest's sha256`);
  const lines = gunzipSync(gz).toString("utf8").split("\n").filter(Boolean);
  if (lines.length !== manifest.rowCount) throw new Error(`archive ${manifest.file} holds ${lines.length} rows, its manifest says ${manifest.rowCount}`);
  return lines;
}

/** Every committed part of one day directory, verified; throws on any mismatch (nothing is deleted then). */
export async function readParts(store: ArchiveStore, prefix: string): Promise<ArchivedPart[]> {
  const parts: ArchivedPart[] = [];
  for (const key of (await store.list(prefix)).filter((k) => k.endsWith(".manifest.json"))) {
    const manifest = ZManifest.parse(JSON.parse((await store.get(key))!.toString("utf8")));
    parts.push({ manifest, key, lines: verifyPart(manifest, await store.get(manifest.file)) });
  }
  return parts.sort((a, b) => a.manifest.part - b.manifest.part);
}

/** The `id` of each archived row, as text (ids are bigint; every table retention archives has one). */
export const idsOf = (lines: string[]) => lines.map((line) => String((JSON.parse(line) as { id: number | string }).id));
