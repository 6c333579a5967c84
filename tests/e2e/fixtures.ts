import { randomBytes } from "node:crypto";
import { mkdirSync } from "node:fs";
import path from "node:path";
import { test as base, expect, type Page } from "@playwright/test";

export type TestUser = { name: string; email: string; password: string };

const ARTIFACTS = path.join(process.cwd(), "tests", "e2e", "artifacts");
mkdirSync(ARTIFACTS, { recursive: true });

export function makeUser(label: string): TestUser {
  const id = randomBytes(4).toString("hex");
  return { name: `${label[0]!.toUpperCase()}${label.slice(1)} Tester`, email: `${label}-${id}@e2e.test`, password: `Sightline-${id}-pw` };
}

/** A full-page screenshot kept under tests/e2e/artifacts/ (git-ignored). */
export async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`), fullPage: true });
}

/** Fills the sign-up form (on /signup or an invitation page) and submits it. */
export async function fillSignUp(page: Page, user: TestUser, { emailPrefilled = false } = {}) {
  await page.getByLabel("Name").fill(user.name);
  if (emailPrefilled) await expect(page.getByLabel("E-mail")).toHaveValue(user.email);
  else await page.getByLabel("E-mail").fill(user.email);
  await page.getByLabel("Password").fill(user.password);
  await page.getByRole("button", { name: "Create account" }).click();
}

/**
 * On an instance that sends e-mail, sign-up finishes from the e-mailed link: after `fillSignUp`, follows
 * the link in `mailbox` (a recording Resend fake), creates the account and signs in with the password.
 */
export async function confirmSignUpByEmail(page: Page, mailbox: { to(address: string): Array<{ body: { text?: string } }> }, user: TestUser) {
  await expect(page.getByRole("status")).toContainText("Check your inbox");
  await expect.poll(() => mailbox.to(user.email).length).toBeGreaterThan(0);
  const link = /https?:\/\/\S+\/signup\/confirm\?token=[\w-]+/.exec(mailbox.to(user.email).at(-1)!.body.text ?? "")?.[0];
  expect(link, "the sign-up e-mail carries a confirmation link").toBeTruthy();
  await page.goto(link!);
  await page.getByRole("button", { name: "Create my account" }).click();
  await expect(page.getByRole("heading", { name: "Your account is ready" })).toBeVisible();
  await page.getByLabel("Password").fill(user.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("heading", { name: "Projects", exact: true })).toBeVisible();
  return link!;
}

/** Signs a new user up through the UI and waits for their personal organisation's home page. */
export async function signUp(page: Page, user: TestUser): Promise<string> {
  await page.goto("/signup");
  await fillSignUp(page, user);
  await expect(page.getByRole("heading", { name: "Projects", exact: true })).toBeVisible();
  return new URL(page.url()).pathname.split("/")[1]!;
}

type Fixtures = {
  /** Credentials for a user that does not exist yet. */
  newUser: TestUser;
  /** A user who signed up through the UI; `page` is on their personal organisation's home. */
  signedUp: { user: TestUser; orgSlug: string };
};

export const test = base.extend<Fixtures>({
  // biome-ignore lint/correctness/noEmptyPattern: Playwright reads the fixtures a function uses from this pattern
  newUser: async ({}, use) => {
    await use(makeUser("owner"));
  },
  signedUp: async ({ page, newUser }, use) => {
    const orgSlug = await signUp(page, newUser);
    await use({ user: newUser, orgSlug });
  },
});

export { expect };

/** From an organisation home: creates a project and an ingest key in the UI; returns the key and the project's path. */
export async function createProjectWithIngestKey(page: Page, projectName: string, keyName = "e2e"): Promise<{ key: string; projectPath: string }> {
  await page.getByRole("button", { name: "New project" }).first().click();
  await page.getByLabel("Project name").fill(projectName);
  await page.getByRole("button", { name: "Create project" }).click();
  await expect(page.getByRole("navigation", { name: "Breadcrumb" })).toContainText(projectName);
  const projectPath = new URL(page.url()).pathname;
  await page.getByRole("navigation", { name: "Project" }).getByRole("link", { name: "API keys" }).click();
  await page.getByRole("button", { name: "Create key" }).first().click();
  await page.getByLabel("Key name").fill(keyName);
  await page.getByLabel("Scope").selectOption("ingest");
  await page.getByRole("dialog").getByRole("button", { name: "Create key" }).click();
  const key = await page.getByLabel("API key secret").inputValue();
  await page.getByRole("button", { name: "Done" }).click();
  return { key, projectPath };
}
