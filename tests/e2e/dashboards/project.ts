/**
 * A fresh owner, project and ingest key made through the UI, for specs that send their own small,
 * hand-counted data through POST /api/v1/ingest (as dashboards.spec.ts does with its traffic).
 */
import type { Page } from "@playwright/test";
import { expect, makeUser, signUp } from "../fixtures";

export async function projectWithIngestKey(page: Page, label: string, projectName: string): Promise<{ projectPath: string; ingestKey: string }> {
  await signUp(page, makeUser(label));
  await page.getByRole("button", { name: "New project" }).first().click();
  await page.getByLabel("Project name").fill(projectName);
  await page.getByRole("button", { name: "Create project" }).click();
  await expect(page.getByRole("navigation", { name: "Breadcrumb" })).toContainText(projectName);
  const projectPath = new URL(page.url()).pathname;
  await page.getByRole("navigation", { name: "Project" }).getByRole("link", { name: "API keys" }).click();
  await page.getByRole("button", { name: "Create key" }).first().click();
  await page.getByLabel("Key name").fill(`${label} ingest`);
  await page.getByLabel("Scope").selectOption("ingest");
  await page.getByRole("dialog").getByRole("button", { name: "Create key" }).click();
  const ingestKey = await page.getByLabel("API key secret").inputValue();
  await page.getByRole("button", { name: "Done" }).click();
  return { projectPath, ingestKey };
}
