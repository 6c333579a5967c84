/**
 * A project's archives as admins see them in Settings → Data: every committed part (its manifest),
 * and the bytes of one file for the download route. Keys are checked against the project's own
 * prefix, so a key naming another project's archive is simply not found.
 */
import { notFound } from "../app-error";
import { auditFromActor, recordAudit, type AuditActor } from "../audit/record";
import type { ArchiveStore } from "./archive-store";
import { projectPrefix, ZManifest, type Manifest } from "./archive-format";

type Project = { id: string; orgId: string };

export async function listArchives(store: ArchiveStore, project: Project): Promise<Manifest[]> {
  const keys = (await store.list(projectPrefix(project.orgId, project.id))).filter((k) => k.endsWith(".manifest.json"));
  const manifests: Manifest[] = [];
  for (const key of keys) {
    const body = await store.get(key);
    const parsed = body ? ZManifest.safeParse(JSON.parse(body.toString("utf8"))) : null;
    if (parsed?.success) manifests.push(parsed.data);
  }
  return manifests.sort((a, b) => b.day.localeCompare(a.day) || a.kind.localeCompare(b.kind) || a.part - b.part);
}

/** One archive file of this project (data or manifest) as a stream, audited as downloaded. */
export async function openArchiveFile(store: ArchiveStore, project: Project, file: string, actor: AuditActor) {
  const prefix = projectPrefix(project.orgId, project.id);
  const valid = file.startsWith(prefix) && /^[A-Za-z0-9=._\-/]+\.(ndjson\.gz|manifest\.json)$/.test(file) && !file.includes("..");
  const opened = valid ? await store.stream(file) : null;
  if (!opened) throw notFound("Archive not found");
  try {
    await recordAudit(
      auditFromActor(actor, {
        orgId: project.orgId,
        action: "archive.downloaded",
        targetType: "project",
        targetId: project.id,
        metadata: { file },
      }),
    );
  } catch (error) {
    await opened.body.cancel().catch(() => {});
    throw error;
  }
  return {
    body: opened.body,
    length: opened.length,
    name: file.slice(prefix.length).replace(/\//g, "_"),
    type: file.endsWith(".gz") ? "application/gzip" : "application/json",
  };
}
