import type { Browser, Page } from "@playwright/test";
import { expect, fillSignUp, makeUser } from "../fixtures";

export const projectNav = (page: Page, name: string) => page.getByRole("navigation", { name: "Project" }).getByRole("link", { name, exact: true });
export const alertsNav = (page: Page, name: string) => page.getByRole("navigation", { name: "Alerting" }).getByRole("link", { name, exact: true });

/** Creates the "Checkout API" project and an ingest key from the organisation's home; returns the key. */
export async function createProjectWithKey(page: Page): Promise<string> {
  await page.getByRole("button", { name: "New project" }).first().click();
  await page.getByLabel("Project name").fill("Checkout API");
  await page.getByRole("button", { name: "Create project" }).click();
  await expect(page.getByRole("navigation", { name: "Breadcrumb" })).toContainText("Checkout API");
  await projectNav(page, "API keys").click();
  await page.getByRole("button", { name: "Create key" }).first().click();
  await page.getByLabel("Key name").fill("checkout service");
  await page.getByLabel("Scope").selectOption("ingest");
  await page.getByRole("dialog").getByRole("button", { name: "Create key" }).click();
  const key = await page.getByLabel("API key secret").inputValue();
  await page.getByRole("button", { name: "Done" }).click();
  return key;
}

/** Invites someone with `role` from the members page and signs them up through the accept link in their own browser. */
export async function inviteMember(page: Page, browser: Browser, role: "admin" | "member" | "viewer") {
  await page.getByRole("navigation", { name: "Organisation" }).getByRole("link", { name: "Members" }).click();
  const invited = makeUser(role);
  await page.getByLabel("E-mail", { exact: true }).fill(invited.email);
  await page.getByLabel("Role", { exact: true }).selectOption(role);
  await page.getByRole("button", { name: "Send invitation" }).click();
  const acceptUrl = await page.getByTestId("invitation-sent").getByLabel("Accept link").inputValue();
  const context = await browser.newContext();
  const memberPage = await context.newPage();
  await memberPage.goto(acceptUrl);
  await fillSignUp(memberPage, invited, { emailPrefilled: true });
  await expect(memberPage.getByRole("link", { name: /Checkout API/ })).toBeVisible();
  return { memberPage, context };
}
