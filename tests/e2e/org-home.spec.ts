import type { BrowserContext, Page } from "@playwright/test";
import { createProjectWithIngestKey, expect, fillSignUp, makeUser, shot, signUp, test } from "./fixtures";
import { buildTraffic, sendTraffic } from "./dashboards/traffic";

/**
 * The organisation home with data sent through the real ingest path: presets switched by click and
 * by keyboard show each project's figures, events per day are charted, the org navigation leads
 * to spend access; the project overview shows p50/p99 with changes, the users page a weekly chart;
 * a viewer without spend:read sees the Management view without money.
 */

let context: BrowserContext;
let page: Page;
let orgSlug: string;
let projectPath: string;

test.beforeAll(async ({ browser }) => {
  test.setTimeout(180_000);
  context = await browser.newContext();
  page = await context.newPage();
  orgSlug = await signUp(page, makeUser("home"));
  const created = await createProjectWithIngestKey(page, "Chat Assistant", "e2e home");
  projectPath = created.projectPath;
  const key = created.key;
  const events = buildTraffic();
  expect(await sendTraffic(page.request, key, events)).toBe(events.length);
});

test.afterAll(async () => {
  await context?.close();
});

const project = () => page.getByTestId("preset-project").filter({ hasText: "Chat Assistant" });
const tab = (name: string) => page.getByRole("tablist", { name: "Views" }).getByRole("tab", { name });

test("presets switch by click and keyboard and show each project's figures; events per day are charted", async () => {
  await page.goto(`/${orgSlug}`);
  await expect(tab("Engineering")).toHaveAttribute("aria-selected", "true");
  await expect(project().getByTestId("home-p95-value")).toHaveText(/\d+(\.\d+)? (ms|s)$/);
  await expect(project().getByTestId("home-error-rate-value")).toHaveText(/^[1-9][\d.]*%$/);
  await expect(project().getByTestId("home-open-groups-value")).toHaveText("3");
  await expect(project().getByTestId("home-new-groups").getByRole("link")).toHaveCount(3);
  await expect(project().getByTestId("home-p95").locator("svg.recharts-surface")).toBeVisible();
  await expect(page.getByTestId("events-chart").locator("svg.recharts-surface")).toBeVisible();
  await expect(page.getByText("No events yet")).toHaveCount(0);
  await shot(page, "home-01-engineering");

  await tab("Operations").click();
  await expect(page).toHaveURL(/view=operations/);
  await expect(project().getByTestId("home-requests-value")).toHaveText("600");
  await expect(project().getByTestId("home-incidents-value")).toHaveText("0");
  await expect(project().getByTestId("home-ingest-types")).toContainText("600 requests");
  await shot(page, "home-02-operations");

  // Keyboard: arrows move between the tabs and select them; Home goes back to the first.
  await tab("Operations").focus();
  await page.keyboard.press("ArrowRight");
  await expect(tab("Management")).toBeFocused();
  await expect(tab("Management")).toHaveAttribute("aria-selected", "true");
  await expect(page).toHaveURL(/view=management/);
  await expect(project().getByTestId("home-users-value")).toHaveText(/^[1-9]\d*$/);
  await expect(project().getByTestId("home-llm-calls-value")).toHaveText(/^[1-9][\d,]*$/);
  await expect(project().getByTestId("home-spend-mtd-value")).toContainText("$");
  await expect(project().getByTestId("home-spend-projected-value")).toContainText("$");
  await expect(project().getByRole("link", { name: "Who sees spend" })).toBeVisible();
  await shot(page, "home-03-management");

  // A shared link opens the same view.
  await page.reload();
  await expect(tab("Management")).toHaveAttribute("aria-selected", "true");
  await tab("Management").focus();
  await page.keyboard.press("Home");
  await expect(tab("Engineering")).toHaveAttribute("aria-selected", "true");
  await expect(project().getByTestId("home-p95-value")).toBeVisible();
});

test("the organisation navigation leads owners to spend access", async () => {
  await page.goto(`/${orgSlug}`);
  await page.getByRole("navigation", { name: "Organisation" }).getByRole("link", { name: "Spend access" }).click();
  await expect(page).toHaveURL(new RegExp(`/${orgSlug}/settings/spend$`));
  await expect(page.getByRole("heading", { name: "LLM spend access" })).toBeVisible();
  await expect(page.getByRole("navigation", { name: "Organisation" }).getByRole("link", { name: "Spend access" })).toHaveAttribute("aria-current", "page");
});

test("overview tiles show p50 and p99 with their change and sparkline; users page charts weekly actives", async () => {
  await page.goto(`${projectPath}?range=1h`);
  for (const id of ["kpi-latency-p50", "kpi-latency-p99"]) {
    await expect(page.getByTestId(`${id}-value`)).toHaveText(/\d+(\.\d+)? (ms|s)$/);
    await expect(page.getByTestId(id).getByTitle("Change against the previous period of the same length")).toHaveText(/^(±0%|[▲▼] \d+(\.\d)?%)$/);
    await expect(page.getByTestId(id).locator("svg.recharts-surface")).toBeVisible();
  }
  await shot(page, "home-04-overview-percentiles");
  await page.getByRole("navigation", { name: "Project" }).getByRole("link", { name: "Users", exact: true }).click();
  await expect(page.getByTestId("users-dau-value")).toHaveText(/^[1-9]\d*$/);
  await expect(page.getByTestId("users-weekly-chart").locator("svg.recharts-surface")).toBeVisible();
  await shot(page, "home-05-users-weekly");
});

test("a viewer without spend:read gets Operations first and a Management view without money or spend links", async ({ browser }) => {
  await page.goto(`/${orgSlug}/settings/members`);
  const viewer = makeUser("homeviewer");
  await page.getByLabel("E-mail", { exact: true }).fill(viewer.email);
  await page.getByLabel("Role", { exact: true }).selectOption("viewer");
  await page.getByRole("button", { name: "Send invitation" }).click();
  const acceptUrl = await page.getByTestId("invitation-sent").getByLabel("Accept link").inputValue();
  await page.goto(`/${orgSlug}/settings/spend`);
  await page.getByLabel("viewer sees spend").uncheck();
  await expect(page.getByLabel("viewer sees spend")).not.toBeChecked();

  const viewerContext = await browser.newContext();
  const v = await viewerContext.newPage();
  await v.goto(acceptUrl);
  await fillSignUp(v, viewer, { emailPrefilled: true });
  await expect(v).toHaveURL(new RegExp(`/${orgSlug}$`));
  await expect(v.getByRole("heading", { name: "Projects", exact: true })).toBeVisible();
  const vTab = (name: string) => v.getByRole("tablist", { name: "Views" }).getByRole("tab", { name });
  await expect(vTab("Operations")).toHaveAttribute("aria-selected", "true");
  await expect(v.getByTestId("home-requests-value")).toHaveText("600");
  await vTab("Management").click();
  await expect(v.getByTestId("home-users-value")).toHaveText(/^[1-9]\d*$/);
  await expect(v.getByTestId("home-llm-calls-value")).toBeVisible();
  await expect(v.getByTestId("home-spend-today")).toHaveCount(0);
  await expect(v.getByTestId("home-spend-month")).toHaveCount(0);
  await expect(v.getByTestId("preset-projects")).not.toContainText("$");
  await expect(v.getByTestId("preset-projects").getByRole("link", { name: "LLM usage" })).toBeVisible();
  await expect(v.getByRole("link", { name: /spend/i })).toHaveCount(0);
  await expect(v.locator('a[href$="/settings/spend"]')).toHaveCount(0);
  await shot(v, "home-06-viewer-management");
  await viewerContext.close();
});
