import { expect, shot, test } from "../fixtures";
import { runJob, sendPricedLlmCalls, startMailbox, type Mailbox } from "./jobs";
import { alertsNav, createProjectWithKey, inviteMember } from "./ui";

/**
 * Alerts honour the organisation's spend access: the owner takes LLM spend away from members, makes
 * a $1 budget in the UI, and real priced LLM calls make it fire (the evaluation runs as
 * `scripts/job.ts`). A member then finds the budget, its incidents and their timeline with every
 * amount withheld — no "$" anywhere on those pages — and cannot make or change a budget.
 */
let mailbox: Mailbox;
test.beforeAll(async () => {
  mailbox = await startMailbox();
});
test.afterAll(async () => {
  await mailbox?.close();
});

test("a member without spend:read sees a firing budget and its incidents without any amount, and cannot create one", async ({ page, browser, signedUp }) => {
  const key = await createProjectWithKey(page);
  const [orgSlug, projectSlug] = new URL(page.url()).pathname.split("/").slice(1, 3) as [string, string];
  expect(orgSlug).toBe(signedUp.orgSlug);
  const projectPath = `/${orgSlug}/${projectSlug}`;

  // The owner keeps LLM spend from members.
  await page.goto(`/${orgSlug}/settings/spend`);
  const memberSpend = page.getByRole("checkbox", { name: "member sees spend" });
  await expect(memberSpend).toBeChecked();
  await memberSpend.uncheck();
  await page.reload();
  await expect(memberSpend).not.toBeChecked();

  // A $1 monthly budget, made and seen with its amount by the owner.
  await page.goto(`${projectPath}/alerts/rules/new`);
  await page.getByLabel("Name").fill("Monthly LLM budget");
  await page.getByLabel("Rule type").selectOption("budget");
  await page.getByLabel("Monthly budget (USD)").fill("1");
  await page.getByLabel("Notify at (% of budget)").fill("100");
  await page.getByRole("button", { name: "Create rule" }).click();
  const ownerRow = page.getByRole("table", { name: "Alert rules" }).getByRole("row", { name: /Monthly LLM budget/ });
  await expect(ownerRow).toContainText("of $1 a month");

  // Four gpt-4o calls priced by the portal at $0.45 each: $1.80, over 100 % and over the projection.
  await sendPricedLlmCalls(page.request, key, 4);
  await runJob("alerts", mailbox);
  await page.reload();
  await expect(ownerRow).toContainText("firing");
  await alertsNav(page, "Incidents").click();
  await expect(
    page
      .getByRole("table", { name: "Incidents" })
      .getByRole("row", { name: /Monthly LLM budget/ })
      .first(),
  ).toContainText("$");

  const { memberPage, context } = await inviteMember(page, browser, "member");
  const main = memberPage.getByRole("main");
  const note = memberPage.getByTestId("spend-hidden");

  // The rules list: the budget by name, state and severity, a note instead of its amount, and nothing to press on it.
  await memberPage.goto(`${projectPath}/alerts`);
  const rules = memberPage.getByRole("table", { name: "Alert rules" });
  const row = rules.getByRole("row", { name: /Monthly LLM budget/ });
  await expect(row).toContainText("firing");
  await expect(row).toContainText("warning");
  await expect(row).toContainText("100% of the monthly budget (amount hidden)");
  await expect(row.getByRole("button")).toHaveCount(0);
  await expect(note).toContainText("LLM spend amounts are hidden");
  await expect(main).not.toContainText("$");
  await shot(memberPage, "alerts-spend-00-member-rules");

  // The budget's page is a read-only summary for them.
  await rules.getByRole("link", { name: "Monthly LLM budget" }).click();
  await expect(memberPage.getByRole("heading", { name: "Monthly LLM budget", exact: true })).toBeVisible();
  await expect(note).toBeVisible();
  await expect(memberPage.getByRole("button", { name: "Save rule" })).toHaveCount(0);
  await expect(main).not.toContainText("$");

  // The new-rule form offers neither budgets nor LLM spend, and says why.
  await memberPage.goto(`${projectPath}/alerts/rules/new`);
  await expect(memberPage.getByLabel("Rule type")).toHaveValue("metric");
  const kinds = await memberPage.getByLabel("Rule type").locator("option").allTextContents();
  expect(kinds).toContain("Metric threshold");
  expect(kinds).not.toContain("LLM spend budget");
  const metrics = await memberPage.getByLabel("Metric").locator("option").allTextContents();
  expect(metrics).toContain("LLM tokens");
  expect(metrics).not.toContain("LLM spend (USD)");
  await expect(memberPage.getByText("Budgets and LLM spend rules are not offered")).toBeVisible();
  await shot(memberPage, "alerts-spend-01-member-new-rule");

  // Incidents and one incident's page: titles, last values and the timeline without amounts.
  await alertsNav(memberPage, "Incidents").click();
  const incidents = memberPage.getByRole("table", { name: "Incidents" });
  const incidentRows = incidents.getByRole("row", { name: /Monthly LLM budget/ });
  await expect(incidentRows).toHaveCount(2);
  await expect(incidentRows.first()).toContainText("hidden");
  await expect(note).toBeVisible();
  await expect(main).not.toContainText("$");
  await shot(memberPage, "alerts-spend-02-member-incidents");
  await incidents.getByRole("link", { name: /reached 100% of the monthly budget/ }).click();
  await expect(memberPage.getByRole("heading", { name: /^Monthly LLM budget — LLM spend reached 100% of the monthly budget/ })).toBeVisible();
  const timeline = memberPage.getByRole("list", { name: "Timeline" });
  await expect(timeline.getByText("Firing", { exact: true })).toBeVisible();
  await expect(timeline).toContainText("amounts hidden: needs spend:read");
  await expect(note).toBeVisible();
  await expect(main).not.toContainText("$");
  await shot(memberPage, "alerts-spend-03-member-incident");

  // Forced through the API, a budget is refused.
  const res = await memberPage.request.post("/api/trpc/alerts.createRule", {
    data: { json: { orgSlug, projectSlug, name: "mine", config: { kind: "budget", amountUsd: 5, notifyAtPercent: [100] } } },
  });
  const body = (await res.json()) as { error?: { json?: { message?: string; data?: { code?: string } } } };
  expect([res.status(), body.error?.json?.data?.code]).toEqual([403, "FORBIDDEN"]);
  expect(body.error?.json?.message).toContain("spend:read");
  await context.close();
});
