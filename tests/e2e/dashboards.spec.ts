import type { BrowserContext, Page } from "@playwright/test";
import { expect, fillSignUp, makeUser, shot, signUp, test } from "./fixtures";
import { buildTraffic, sendTraffic } from "./dashboards/traffic";

/**
 * Dashboards and explorers over data sent through the real ingest path: an owner signs up,
 * creates a project and an ingest key in the UI, and POSTs a few hours of realistic traffic.
 * The tests share that project (one worker; a failure re-seeds a fresh one), each looking at one page.
 */

let context: BrowserContext;
let page: Page;
let orgSlug: string;
let projectPath: string;
let sent = 0;

test.beforeAll(async ({ browser }) => {
  test.setTimeout(180_000);
  context = await browser.newContext();
  page = await context.newPage();
  orgSlug = await signUp(page, makeUser("dash"));
  await page.getByRole("button", { name: "New project" }).first().click();
  await page.getByLabel("Project name").fill("Chat Assistant");
  await page.getByRole("button", { name: "Create project" }).click();
  await expect(page.getByRole("navigation", { name: "Breadcrumb" })).toContainText("Chat Assistant");
  projectPath = new URL(page.url()).pathname;
  await expect(page.getByText("Send your first event")).toBeVisible();
  await shot(page, "dash-00-empty-overview");

  await page.getByRole("navigation", { name: "Project" }).getByRole("link", { name: "API keys" }).click();
  await page.getByRole("button", { name: "Create key" }).first().click();
  await page.getByLabel("Key name").fill("e2e traffic");
  await page.getByLabel("Scope").selectOption("ingest");
  await page.getByRole("dialog").getByRole("button", { name: "Create key" }).click();
  const key = await page.getByLabel("API key secret").inputValue();
  await page.getByRole("button", { name: "Done" }).click();
  const events = buildTraffic();
  sent = await sendTraffic(page.request, key, events);
  expect(sent).toBe(events.length);
});

test.afterAll(async () => {
  await context?.close();
});

const nav = (name: string) => page.getByRole("navigation", { name: "Project" }).getByRole("link", { name, exact: true });

test("overview shows KPI cards with changes, sparklines and charts", async () => {
  await page.goto(projectPath);
  await expect(page.getByTestId("kpi-requests-value")).not.toHaveText("0");
  expect(Number((await page.getByTestId("kpi-requests-value").innerText()).replace(/\D/g, ""))).toBe(600);
  await expect(page.getByTestId("kpi-error-rate-value")).toContainText("%");
  await expect(page.getByTestId("kpi-latency-value")).toContainText(/ms|s/);
  await expect(page.getByTestId("kpi-users-value")).not.toHaveText("0");
  await expect(page.getByTestId("kpi-errors-value")).toHaveText("3");
  await expect(page.getByTestId("kpi-spend-mtd-value")).toContainText("$");
  await expect(page.getByTestId("kpi-requests").locator("svg.recharts-surface")).toBeVisible();
  await expect(page.locator("section", { hasText: "Per bucket" }).locator("svg.recharts-surface").first()).toBeVisible();
  await expect(page.getByTestId("no-data")).toHaveCount(0);
  await shot(page, "dash-01-overview");
});

test("performance: a filter changes the URL and the numbers, and the shared URL reproduces the view", async () => {
  await nav("Performance").click();
  const endpoints = page.getByRole("table", { name: "Endpoints" });
  await expect(endpoints.getByTestId("endpoint-row")).toHaveCount(5);
  const summary = page.getByText(/requests in range/);
  await expect(summary).toContainText("600 requests in range");
  await expect(page.locator("svg.recharts-surface").first()).toBeVisible();
  await shot(page, "dash-02-performance");

  await page.getByLabel("Method").selectOption("POST");
  await expect(page).toHaveURL(/method=POST/);
  await expect(endpoints.getByTestId("endpoint-row")).toHaveCount(2);
  const filtered = (await summary.innerText()).match(/([\d,]+) requests in range/)![1]!;
  expect(Number(filtered.replace(/,/g, ""))).toBeLessThan(600);
  expect(Number(filtered.replace(/,/g, ""))).toBeGreaterThan(0);
  await page.getByLabel("Time range").selectOption("6h");
  await expect(page).toHaveURL(/range=6h/);
  await expect(summary).toContainText(`${filtered} requests in range`);

  // Sorting by a column reorders the table.
  await endpoints.getByRole("button", { name: /p95/ }).click();
  await expect(endpoints.getByRole("columnheader", { name: /p95/ })).toHaveAttribute("aria-sort", /ascending|descending/);
  await shot(page, "dash-03-performance-filtered");

  const shared = await context.newPage();
  await shared.goto(page.url());
  await expect(shared.getByLabel("Method")).toHaveValue("POST");
  await expect(shared.getByLabel("Time range")).toHaveValue("6h");
  await expect(shared.getByText(/requests in range/)).toContainText(`${filtered} requests in range`);
  await expect(shared.getByRole("table", { name: "Endpoints" }).getByTestId("endpoint-row")).toHaveCount(2);
  await shared.close();
});

test("errors: groups, detail with stack trace and trace link, resolving moves a group between tabs", async () => {
  await nav("Errors").click();
  const table = page.getByRole("table", { name: "Error groups" });
  await expect(table.getByTestId("error-group-row")).toHaveCount(3);
  await expect(table).toContainText("CardDeclinedError");
  await shot(page, "dash-04-errors");

  await page.getByLabel("Level").selectOption("warning");
  await expect(page).toHaveURL(/level=warning/);
  await expect(table.getByTestId("error-group-row")).toHaveCount(1);
  await page.getByLabel("Level").selectOption("");
  await expect(table.getByTestId("error-group-row")).toHaveCount(3);

  await table.getByTestId("error-group-row").filter({ hasText: "TypeError" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toContainText("TypeError");
  const stack = page.getByTestId("stack-trace");
  await expect(stack.locator('[data-in-app="true"]')).toHaveCount(2);
  await expect(stack).toContainText("loadConversation");
  await expect(page.locator("section", { hasText: "Occurrences" }).locator("svg.recharts-surface")).toBeVisible();
  await expect(page.getByText("web@1.4.0").first()).toBeVisible();
  await expect(page.getByRole("table", { name: "Recent events" }).locator("tbody tr").first()).toBeVisible();
  await shot(page, "dash-05-error-detail");

  await page.getByRole("button", { name: /^Resolve TypeError/ }).click();
  await expect(page.getByRole("button", { name: /^Reopen TypeError/ })).toBeVisible();
  await page.getByRole("link", { name: "← All errors" }).click();
  await expect(table.getByTestId("error-group-row")).toHaveCount(2);
  await expect(table).not.toContainText("TypeError");
  await page.getByRole("tab", { name: "Resolved", exact: true }).click();
  await expect(page).toHaveURL(/status=resolved/);
  await expect(table.getByTestId("error-group-row")).toHaveCount(1);
  await expect(table).toContainText("TypeError");
  await shot(page, "dash-06-errors-resolved-tab");
  await table.getByRole("button", { name: /^Reopen TypeError/ }).click();
  await expect(page.getByText("No resolved errors in this range")).toBeVisible();
  await page.getByRole("tab", { name: "Unresolved", exact: true }).click();
  await expect(table.getByTestId("error-group-row")).toHaveCount(3);

  await table.getByTestId("error-group-row").filter({ hasText: "TimeoutError" }).click();
  await page.getByRole("link", { name: "View trace →" }).click();
  await expect(page.getByTestId("span-row").first()).toBeVisible();
  await expect(page.locator("section", { hasText: "Errors (" })).toContainText("TimeoutError");
});

test("LLM: spend, projection with its method, models and the most expensive calls linking to their trace", async () => {
  await nav("LLM").click();
  await expect(page.getByTestId("llm-cost")).toContainText("$");
  await expect(page.getByTestId("projection-method")).toContainText("month-to-date spend");
  const models = page.getByRole("table", { name: "Models" });
  await expect(models.locator("tbody tr")).toHaveCount(3);
  await expect(models).toContainText("claude-3-5-sonnet");
  await expect(page.locator("svg.recharts-surface").first()).toBeVisible();
  // Cost and tokens over time are stacked per model: every model is a series with its legend entry.
  for (const chart of ["llm-cost-over-time", "llm-tokens-over-time"]) {
    await expect(page.getByTestId(chart)).toContainText("claude-3-5-sonnet");
    await expect(page.getByTestId(chart)).toContainText("gpt-4o");
  }
  await shot(page, "dash-07-llm");

  const calls = await page.getByTestId("llm-calls").locator("p").first().innerText();
  await page.getByLabel("Model", { exact: true }).selectOption("gpt-4o");
  await expect(page).toHaveURL(/model=gpt-4o/);
  await expect(models.locator("tbody tr")).toHaveCount(1);
  await expect(page.getByTestId("llm-calls").locator("p").first()).not.toHaveText(calls);
  await page.getByLabel("Model", { exact: true }).selectOption("");

  await page.getByRole("table", { name: "Most expensive calls" }).getByRole("link").first().click();
  await expect(page).toHaveURL(/\/traces\/[0-9a-f]{32}$/);
  await expect(page.getByTestId("span-row")).toHaveCount(3);
  await page.getByTestId("span-row").nth(2).click();
  await expect(page.getByTestId("span-attributes")).toContainText("gen_ai.request.model");
  await expect(page.getByText("first_token")).toBeVisible();
  await expect(page.locator("section", { hasText: "LLM calls (1)" })).toBeVisible();
  await expect(page.getByTestId("trace-llm-call")).toContainText("$");
  await shot(page, "dash-08-trace-waterfall");
});

test("LLM: the over-time charts break down by provider or user, kept in the URL; a provider filter narrows the page", async () => {
  await nav("LLM").click();
  const cost = page.getByTestId("llm-cost-over-time");
  const tokens = page.getByTestId("llm-tokens-over-time");
  await expect(tokens).toContainText("claude-3-5-sonnet");
  await page.getByLabel("Break down by").selectOption("provider");
  await expect(page).toHaveURL(/by=provider/);
  await expect(page.getByRole("heading", { name: "Cost over time by provider" })).toBeVisible();
  for (const chart of [cost, tokens]) {
    await expect(chart).toContainText("anthropic");
    await expect(chart).toContainText("openai");
    await expect(chart).not.toContainText("claude-3-5-sonnet");
  }
  await shot(page, "dash-07b-llm-by-provider");
  await page.reload();
  await expect(page.getByLabel("Break down by")).toHaveValue("provider");
  await expect(tokens).toContainText("anthropic");

  await page.getByLabel("Break down by").selectOption("user");
  await expect(page).toHaveURL(/by=user/);
  const calls = page.getByTestId("llm-calls-over-time");
  await expect(calls).toContainText("user-");
  await expect(calls).toContainText("other users");
  await expect(tokens).toHaveCount(0);
  await expect(page.getByText("Token counts are not kept per user")).toBeVisible();

  const models = page.getByRole("table", { name: "Models" });
  await page.getByLabel("Provider", { exact: true }).selectOption("anthropic");
  await expect(page).toHaveURL(/provider=anthropic/);
  await expect(models.locator("tbody tr")).toHaveCount(1);
  await expect(models).toContainText("claude-3-5-sonnet");
  await page.getByLabel("Provider", { exact: true }).selectOption("");
  await page.getByLabel("Break down by").selectOption("");
  await expect(page).not.toHaveURL(/by=|provider=/);
  await expect(models.locator("tbody tr")).toHaveCount(3);
});

test("logs: search, level filter, detail drawer, live tail; traces list", async () => {
  await nav("Logs").click();
  await expect(page.getByTestId("log-row").first()).toBeVisible();
  await page.getByLabel("Search logs").fill("TimeoutError");
  await page.getByLabel("Search logs").press("Enter");
  await expect(page).toHaveURL(/q=TimeoutError/);
  const rows = page.getByTestId("log-row");
  await expect(rows.first()).toContainText("TimeoutError");
  for (const text of await rows.allInnerTexts()) expect(text).toContain("TimeoutError");
  await rows.first().click();
  const drawer = page.getByRole("dialog", { name: "Log details" });
  await expect(drawer.getByTestId("log-attributes")).toContainText("http.route");
  await expect(drawer.getByRole("link", { name: "View trace →" })).toBeVisible();
  await shot(page, "dash-09-logs-drawer");
  await drawer.getByRole("button", { name: "Close" }).click();

  await page.getByLabel("Search logs").fill("");
  await page.getByLabel("Search logs").press("Enter");
  await expect(page).not.toHaveURL(/q=/);
  await page.getByLabel("Level").selectOption("debug");
  await expect(page).toHaveURL(/level=debug/);
  await expect(rows.first()).toContainText("queue depth");
  await page.getByLabel("Live tail").check();
  await expect(page).toHaveURL(/live=on/);
  await expect(page.getByText("Live: newest first")).toBeVisible();

  await nav("Traces").click();
  await expect(page.getByTestId("trace-row").first()).toBeVisible();
  await page.getByLabel("Status").selectOption("error");
  await expect(page).toHaveURL(/status=error/);
  await expect(page.getByTestId("trace-row").first()).toContainText("error");
  await shot(page, "dash-10-traces");
});

test("users and usage", async () => {
  await nav("Users").click();
  await expect(page.getByTestId("users-dau-value")).toHaveText(/^[1-9][\d,.]*K?$/);
  await expect(page.getByTestId("users-range").locator("p")).toHaveText(/^\d+$/);
  await expect(page.getByText("chat.sent · ")).toBeVisible();
  await expect(page.getByTestId("top-by-spend")).toContainText("$");
  await shot(page, "dash-11-users");
});

test("organisation home offers Engineering, Operations and Management views", async () => {
  await page.goto(`/${orgSlug}`);
  const views = page.getByRole("navigation", { name: "Views" });
  await expect(views.getByRole("tab", { name: "Engineering", selected: true })).toBeVisible();
  await expect(page.getByTestId("preset-projects").getByRole("link", { name: "Errors" })).toBeVisible();
  await views.getByRole("tab", { name: "Management" }).click();
  await expect(page).toHaveURL(/view=management/);
  await shot(page, "dash-12-org-presets");
  await page.getByTestId("preset-projects").getByRole("link", { name: "LLM spend and projection" }).click();
  await expect(page).toHaveURL(new RegExp(`${projectPath}/llm$`));
  await expect(page.getByTestId("llm-projection")).toBeVisible();
});

test("project settings: redaction rules and model prices with recompute", async () => {
  await nav("Redaction").click();
  await expect(page.getByTestId("default-rules")).toContainText("authorization");
  await expect(page.getByText("No project rules")).toBeVisible();
  await page.getByLabel("Kind").selectOption("pattern");
  await page.getByLabel("Pattern").fill("(");
  await page.getByRole("button", { name: "Add rule" }).click();
  await expect(page.getByText(/Not a usable regular expression/)).toBeVisible();
  await page.getByLabel("Pattern").fill("\\bsk-[a-z0-9]{8,}\\b");
  await page.getByLabel("Description").fill("Provider keys in text");
  await page.getByRole("button", { name: "Add rule" }).click();
  const rules = page.getByRole("table", { name: "Redaction rules" });
  await expect(rules).toContainText("Provider keys in text");
  await shot(page, "dash-13-redaction");
  await rules.getByRole("button", { name: /^Delete rule/ }).click();
  await expect(page.getByText("No project rules")).toBeVisible();

  await nav("Prices").click();
  await expect(page.getByRole("table", { name: "Built-in prices" })).toContainText("gpt-4o-mini");
  await page.getByLabel("Provider").fill("openai");
  await page.getByLabel("Model").fill("gpt-4o");
  await page.getByLabel("Input $/1M").fill("1");
  await page.getByLabel("Output $/1M").fill("2");
  await page.getByRole("button", { name: "Add override" }).click();
  await expect(page.getByRole("table", { name: "Price overrides" })).toContainText("gpt-4o");
  await page.getByRole("button", { name: "Recompute costs" }).click();
  await expect(page.getByTestId("recompute-result")).toContainText(/changed [1-9]/);
  await shot(page, "dash-14-prices");
});

test("a viewer the owner withholds spend from sees no spend", async ({ browser }) => {
  await page.goto(`/${orgSlug}/settings/members`);
  const viewer = makeUser("spendviewer");
  await page.getByLabel("E-mail", { exact: true }).fill(viewer.email);
  await page.getByLabel("Role", { exact: true }).selectOption("viewer");
  await page.getByRole("button", { name: "Send invitation" }).click();
  const acceptUrl = await page.getByTestId("invitation-sent").getByLabel("Accept link").inputValue();

  const viewerContext = await browser.newContext();
  const viewerPage = await viewerContext.newPage();
  await viewerPage.goto(acceptUrl);
  await fillSignUp(viewerPage, viewer, { emailPrefilled: true });
  await expect(viewerPage.getByRole("link", { name: /Chat Assistant/ })).toBeVisible();
  await viewerPage.goto(projectPath);
  await expect(viewerPage.getByTestId("kpi-spend-mtd-value")).toContainText("$");
  await expect(viewerPage.getByRole("button", { name: /^Resolve / })).toHaveCount(0);

  await page.goto(`/${orgSlug}/settings/spend`);
  await expect(page.getByLabel("viewer sees spend")).toBeChecked();
  await page.getByLabel("viewer sees spend").uncheck();
  await expect(page.getByLabel("viewer sees spend")).not.toBeChecked();
  await page.reload();
  await expect(page.getByLabel("viewer sees spend")).not.toBeChecked();
  await shot(page, "dash-15-spend-access");

  await viewerPage.reload();
  await expect(viewerPage.getByTestId("kpi-requests-value")).toHaveText("600");
  await expect(viewerPage.getByTestId("kpi-spend-mtd")).toHaveCount(0);
  await expect(viewerPage.getByTestId("kpi-spend-today")).toHaveCount(0);
  await viewerPage.getByRole("navigation", { name: "Project" }).getByRole("link", { name: "LLM", exact: true }).click();
  await expect(viewerPage.getByTestId("llm-calls")).toBeVisible();
  await expect(viewerPage.getByTestId("spend-hidden")).toBeVisible();
  await expect(viewerPage.getByTestId("llm-cost")).toHaveCount(0);
  await expect(viewerPage.getByTestId("llm-cost-over-time")).toHaveCount(0);
  await expect(viewerPage.getByTestId("llm-tokens-over-time")).toContainText("gpt-4o");
  await expect(viewerPage.getByTestId("llm-projection")).toHaveCount(0);
  await expect(viewerPage.locator("main")).not.toContainText("$");
  await shot(viewerPage, "dash-16-viewer-no-spend");
  // A chat request's trace shows its LLM call (the owner sees its cost there) without any cost.
  await viewerPage.goto(`${projectPath}/traces?q=${encodeURIComponent("POST /api/chat")}`);
  await viewerPage.getByTestId("trace-row").first().click();
  await expect(viewerPage).toHaveURL(/\/traces\/[0-9a-f]{32}$/);
  await expect(viewerPage.getByTestId("trace-llm-call")).toHaveCount(1);
  await expect(viewerPage.getByTestId("trace-llm-call")).toContainText(" in · ");
  await expect(viewerPage.locator("main")).not.toContainText("$");
  await shot(viewerPage, "dash-16b-viewer-trace-no-spend");
  await viewerPage.getByRole("navigation", { name: "Project" }).getByRole("link", { name: "Users", exact: true }).click();
  await expect(viewerPage.getByTestId("spend-hidden")).toBeVisible();
  await viewerPage.getByRole("navigation", { name: "Project" }).getByRole("link", { name: "Prices", exact: true }).click();
  await expect(viewerPage.getByText("Prices are hidden")).toBeVisible();
  await viewerContext.close();
});
