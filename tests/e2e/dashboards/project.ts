/**
 * A fresh owner, project and ingest key made through the UI, for specs that send their own small,
 * hand-counted data through POST /api/v1/ingest (as dashboards.spec.ts does with its traffic).
 */
import type { Page } from "@playwright/test";
import { createProjectWithIngestKey, makeUser, signUp } from "../fixtures";

export async function projectWithIngestKey(page: Page, label: string, projectName: string): Promise<{ projectPath: string; ingestKey: string }> {
  await signUp(page, makeUser(label));
  const { key, projectPath } = await createProjectWithIngestKey(page, projectName, `${label} ingest`);
  return { projectPath, ingestKey: key };
}
