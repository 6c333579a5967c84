import { execFileSync } from "node:child_process";
import { readFile } from "node:fs/promises";
import { gunzipSync } from "node:zlib";
import type { Browser } from "@playwright/test";
import { expect, fillSignUp, makeUser, shot, test } from "./fixtures";
import { projectWithIngestKey } from "./dashboards/project";

test.describe.configure({ mode: "serial" });

async function invite(ownerPage: import("@playwright/test").Page, browser: Browser, orgSlug: string, role: "admin" | "viewer") {
  await ownerPage.goto(`/${orgSlug}/settings/members`);
  const user = makeUser(role);
  await ownerPage.getByLabel("E-mail", { exact: true }).fill(user.email);
  await ownerPage.getByLabel("Role", { exact: true }).selectOption(role);
  await ownerPage.getByRole("button", { name: "Send invitation" }).click();
  const acceptUrl = await ownerPage.getByTestId("invitation-sent").getByLabel("Accept link").inputValue();
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(acceptUrl);
  await fillSignUp(page, user, { emailPrefilled: true });
  await expect(page.getByRole("heading", { name: "Projects", exact: true })).toBeVisible();
  return page;
}

test("an admin sets a retention policy, sees the estimate, downloads the archive, exports and erases an end user; a viewer sees the page read-only", async ({
  page,
  browser,
  request,
}) => {
  const { projectPath, ingestKey } = await projectWithIngestKey(page, "dataowner", "Data Lifecycle");
  const orgSlug = projectPath.split("/")[1]!;
  const now = Date.now();
  const batch = [
    ...Array.from({ length: 4 }, (_, i) => ({ type: "log", level: "info", message: `old line ${i}`, timestamp: now - 3 * 86_400_000 + i * 1000 })),
    ...Array.from({ length: 2 }, (_, i) => ({
      type: "log",
      level: "info",
      message: `new line ${i}`,
      timestamp: now - 60_000 + i * 1000,
      userId: "e2e-user-7",
    })),
  ];
  const res = await request.post("/api/v1/ingest", { headers: { authorization: `Bearer ${ingestKey}` }, data: { batch } });
  expect(res.ok()).toBe(true);

  const admin = await invite(page, browser, orgSlug, "admin");
  const viewer = await invite(page, browser, orgSlug, "viewer");

  await admin.goto(`${projectPath}/settings/data`);
  const logs = admin.getByTestId("data-kind-logs");
  await expect(logs.getByTestId("rows")).toHaveText("6");
  await expect(logs.getByTestId("estimate")).toContainText("0 rows");
  await admin.getByLabel("Logs retention (days)").fill("0");
  await admin.getByRole("button", { name: "Save Logs retention" }).click();
  await expect(logs.getByRole("alert")).toContainText("days must be at least 1");
  await admin.getByLabel("Logs retention (days)").fill("1");
  await admin.getByRole("button", { name: "Save Logs retention" }).click();
  await expect(logs.getByTestId("estimate")).toContainText("4 rows");
  await expect(logs.getByTestId("policy")).toContainText("(default 30)");
  await shot(admin, "data-01-policy-estimate");

  // The daily job, run by hand as an operator would.
  execFileSync("npx", ["tsx", "scripts/job.ts", "retention"], { env: process.env, stdio: "pipe" });
  await admin.reload();
  await expect(logs.getByTestId("rows")).toHaveText("2");
  const archives = admin.getByRole("table", { name: "Archives" });
  await expect(archives).toContainText("logs");
  const [download] = await Promise.all([admin.waitForEvent("download"), archives.getByRole("link", { name: /^Download logs/ }).click()]);
  const lines = gunzipSync(await readFile((await download.path())!))
    .toString()
    .trim()
    .split("\n");
  expect(lines.map((l) => (JSON.parse(l) as { message: string }).message).sort()).toEqual(["old line 0", "old line 1", "old line 2", "old line 3"]);
  await shot(admin, "data-02-archives");

  // End-user data: look up, export, erase.
  await admin.getByLabel("End-user id").fill("e2e-user-7");
  await admin.getByRole("button", { name: "Look up" }).click();
  await expect(admin.getByTestId("end-user-result")).toContainText("2 rows stored about e2e-user-7");
  const [exported] = await Promise.all([admin.waitForEvent("download"), admin.getByRole("link", { name: "Export (NDJSON.gz)" }).click()]);
  const exportedLines = gunzipSync(await readFile((await exported.path())!))
    .toString()
    .trim()
    .split("\n");
  expect(exportedLines.map((l) => (JSON.parse(l) as { row: { message: string } }).row.message).sort()).toEqual(["new line 0", "new line 1"]);
  await admin.getByRole("button", { name: "Erase…" }).click();
  await admin.getByRole("button", { name: "Erase end-user data" }).click();
  await expect(admin.getByTestId("erase-result")).toContainText("Logs 2");
  await expect(admin.getByTestId("end-user-result")).toContainText("0 rows stored about e2e-user-7");
  await admin.reload();
  await expect(logs.getByTestId("rows")).toHaveText("0");
  await shot(admin, "data-04-end-user-erased");

  await viewer.goto(`${projectPath}/settings/data`);
  await expect(viewer.getByTestId("data-kind-logs").getByTestId("policy")).toContainText("1");
  await expect(viewer.getByLabel("Logs retention (days)")).toHaveCount(0);
  await expect(viewer.getByRole("table", { name: "Archives" })).toHaveCount(0);
  await expect(viewer.getByLabel("End-user id")).toHaveCount(0);
  await expect(viewer.getByText("Only owners and admins can change retention or download archives.")).toBeVisible();
  await shot(viewer, "data-03-viewer");
});
