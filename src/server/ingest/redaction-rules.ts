import type { Db } from "../db/sql";
import { compileRedactionRules, type CompiledRedaction, type RedactionRuleInput } from "./redact";

const CACHE_TTL_MS = 30_000;
const cache = new Map<string, { at: number; rules: Promise<CompiledRedaction> }>();

async function loadRedactionRules(db: Db, { projectId }: { projectId: string }): Promise<RedactionRuleInput[]> {
  const { rows } = await db.query<RedactionRuleInput>(`SELECT id, kind::text AS kind, pattern FROM redaction_rules WHERE project_id = $1 ORDER BY created_at`, [
    projectId,
  ]);
  return rows;
}

/** A project's compiled rules, cached briefly per process (edits invalidate this process at once). */
export function cachedRedactionRules(db: Db, projectId: string): Promise<CompiledRedaction> {
  const hit = cache.get(projectId);
  if (hit && Date.now() - hit.at < CACHE_TTL_MS) return hit.rules;
  const rules = loadRedactionRules(db, { projectId }).then(compileRedactionRules);
  cache.set(projectId, { at: Date.now(), rules });
  rules.catch(() => cache.delete(projectId));
  return rules;
}

export function invalidateRedactionCache(projectId: string): void {
  cache.delete(projectId);
}
