import { expect, shot, test } from "./fixtures";
import { startPortalInstance } from "./alerts/instance";
import { runJob, sendErrorBurst, sendPricedLlmCalls, startMailbox, type Mailbox } from "./alerts/jobs";
import { alertsNav, createProjectWithKey, inviteMember, projectNav } from "./alerts/ui";
import { startFakeSlack } from "../fakes/slack";

/**
 * Alerting and weekly reports end to end: rules, channels and silences are managed in the UI;
 * errors arrive through the real ingest endpoint; the evaluation and the weekly report run as
 * `scripts/job.ts` (what the Inngest functions call) with e-mail going to a fake Resend mailbox.
 */
let mailbox: Mailbox;
test.beforeAll(async () => {
  mailbox = await startMailbox();
});
test.afterAll(async () => {
  await mailbox?.close();
});

test("a rule made in the UI fires on ingested errors, e-mails once, shows its incident, and can be silenced", async ({ page, signedUp }) => {
  const key = await createProjectWithKey(page);
  await projectNav(page, "Alerts").click();
  await expect(page.getByRole("heading", { name: "Alert rules" })).toBeVisible();
  await expect(page.getByText("No alert rules yet")).toBeVisible();
  await shot(page, "alerts-00-empty");

  // Channels: a private-address webhook is refused on its field; an e-mail channel to myself is added.
  await alertsNav(page, "Channels").click();
  await page.getByRole("button", { name: "Add channel" }).first().click();
  const dialog = page.getByRole("dialog");
  await dialog.getByLabel("Channel name").fill("Internal hook");
  await dialog.getByLabel("Type").selectOption("webhook");
  await dialog.getByLabel("URL").fill("http://127.0.0.1:9/hook");
  await dialog.getByRole("button", { name: "Add channel" }).click();
  await expect(dialog.getByLabel("URL")).toHaveAttribute("aria-invalid", "true");
  await expect(dialog.getByRole("alert")).toContainText(/private|loopback/i);
  await shot(page, "alerts-01-webhook-ssrf-refused");
  await dialog.getByLabel("Channel name").fill("Me by e-mail");
  await dialog.getByLabel("Type").selectOption("email");
  await dialog.getByRole("button", { name: "Add channel" }).click();
  await expect(dialog.getByRole("alert")).toContainText("choose at least one member");
  await dialog.getByRole("checkbox", { name: new RegExp(signedUp.user.email) }).check();
  await dialog.getByRole("button", { name: "Add channel" }).click();
  const channels = page.getByRole("table", { name: "Channels" });
  await expect(channels.getByRole("row", { name: /Me by e-mail/ })).toContainText(signedUp.user.email);
  // The portal under test has no RESEND_API_KEY: the test button reports the failure instead of hiding it.
  await page.getByRole("button", { name: "Send test notification to Me by e-mail" }).click();
  await expect(channels.getByText(/Test failed|Test notification delivered/)).toBeVisible();
  await shot(page, "alerts-02-channels");

  // A rule: error count > 5 in 5 minutes, critical, to the e-mail channel. Errors show beside their fields.
  await alertsNav(page, "Alert rules").click();
  await page.getByRole("link", { name: "New alert rule" }).click();
  await expect(page.getByLabel("Rule type")).toHaveValue("metric");
  await page.getByRole("button", { name: "Create rule" }).click();
  await expect(page.getByLabel("Threshold", { exact: true })).toHaveAttribute("aria-invalid", "true");
  await page.getByLabel("Threshold", { exact: true }).fill("5");
  await page.getByLabel("Resolve threshold").fill("50");
  await page.getByRole("button", { name: "Create rule" }).click();
  await expect(page.getByLabel("Name")).toHaveAttribute("aria-invalid", "true");
  await expect(page.getByLabel("Resolve threshold")).toHaveAttribute("aria-invalid", "true");
  await expect(page.getByText("must be at most the threshold")).toBeVisible();
  await shot(page, "alerts-03-rule-field-errors");
  await page.getByLabel("Name").fill("Checkout errors");
  await page.getByLabel("Severity").selectOption("critical");
  await page.getByLabel("Metric").selectOption("error_count");
  await page.getByLabel("Window (minutes)").fill("5");
  await page.getByLabel("Resolve threshold").fill("");
  await page.getByLabel("Environment").fill("production");
  await page.getByRole("checkbox", { name: "Me by e-mail (email)" }).check();
  await page.getByLabel("Repeat interval (minutes)").fill("60");
  await expect(page.getByText("When: Error count > 5 in 5 min where environment=production")).toBeVisible();
  await shot(page, "alerts-04-rule-form");
  await page.getByRole("button", { name: "Create rule" }).click();
  const rules = page.getByRole("table", { name: "Alert rules" });
  const row = rules.getByRole("row", { name: /Checkout errors/ });
  await expect(row).toContainText("Error count > 5 in 5 min");
  await expect(row).toContainText("Me by e-mail");
  await expect(row).toContainText("critical");
  await expect(row).toContainText("ok");

  // Twelve errors through the real ingest path, then one evaluation as the per-minute function runs it.
  await sendErrorBurst(page.request, key, 12);
  const evaluated = await runJob("alerts", mailbox);
  expect(evaluated.rules).toBeGreaterThanOrEqual(1);
  const mails = mailbox.to(signedUp.user.email);
  expect(mails).toHaveLength(1);
  expect(mails[0]!.body.subject).toMatch(/^\[FIRING · critical\] Checkout errors/);
  await runJob("alerts", mailbox);
  expect(mailbox.to(signedUp.user.email)).toHaveLength(1);

  await page.reload();
  await expect(row).toContainText("firing");
  await shot(page, "alerts-05-rule-firing");

  await alertsNav(page, "Incidents").click();
  const incidents = page.getByRole("table", { name: "Incidents" });
  const incidentRow = incidents.getByRole("row", { name: /Checkout errors/ });
  await expect(incidentRow).toContainText("firing");
  await expect(incidentRow).toContainText("12");
  await shot(page, "alerts-06-incidents");
  await incidentRow.getByRole("link").click();
  const timeline = page.getByRole("list", { name: "Timeline" });
  await expect(timeline.getByText("Firing", { exact: true })).toBeVisible();
  await expect(timeline.getByText("Notification sent", { exact: true })).toBeVisible();
  const deliveries = page.getByRole("table", { name: "Deliveries" });
  await expect(deliveries.getByRole("row", { name: /Me by e-mail/ })).toContainText("sent");
  await expect(page.getByText("Still firing")).toBeVisible();
  await shot(page, "alerts-07-incident-detail");

  // A silence from the rules list, seen on the Silences tab, then ended there.
  await alertsNav(page, "Alert rules").click();
  await page.getByRole("button", { name: "Silence Checkout errors" }).click();
  await page.getByRole("dialog").getByLabel("Silence for").selectOption("240");
  await page.getByRole("dialog").getByLabel("Reason").fill("deploying the card-retry fix");
  await page.getByRole("dialog").getByRole("button", { name: "Silence", exact: true }).click();
  await expect(row).toContainText("silenced");
  await expect(row).toContainText("Silenced until");
  await alertsNav(page, "Silences").click();
  const silences = page.getByRole("table", { name: "Silences" });
  await expect(silences.getByRole("row", { name: /Checkout errors/ })).toContainText("deploying the card-retry fix");
  await shot(page, "alerts-08-silences");
  await page.getByRole("button", { name: "End silence on Checkout errors" }).click();
  await expect(page.getByText("No active silences")).toBeVisible();
  await alertsNav(page, "Alert rules").click();
  await expect(row).not.toContainText("silenced");

  // Editing keeps every setting.
  await rules.getByRole("link", { name: "Checkout errors" }).click();
  await expect(page.getByLabel("Threshold", { exact: true })).toHaveValue("5");
  await expect(page.getByLabel("Environment")).toHaveValue("production");
  await expect(page.getByLabel("Severity")).toHaveValue("critical");
  await expect(page.getByRole("checkbox", { name: "Me by e-mail (email)" })).toBeChecked();
  await page.getByLabel("Rule type").selectOption("budget");
  await expect(page.getByLabel("Monthly budget (USD)")).toBeVisible();
  await shot(page, "alerts-09-budget-form");
});

test("a weekly report's unsubscribe link works without signing in and turns my subscription off", async ({ page, browser, signedUp }) => {
  await page.getByRole("navigation", { name: "Organisation" }).getByRole("link", { name: "Reports" }).click();
  await expect(page.getByRole("heading", { name: "Weekly reports" })).toBeVisible();
  const toggle = page.getByRole("switch", { name: "E-mail me the weekly report" });
  await expect(toggle).toHaveAttribute("aria-checked", "true");
  await expect(page.getByText("No reports yet")).toBeVisible();

  await runJob("weekly-report", mailbox, ["--now"]);
  const report = mailbox.to(signedUp.user.email).at(-1);
  expect(report, "the weekly report was e-mailed").toBeTruthy();
  const link = /https?:\/\/\S+\/api\/reports\/unsubscribe\?token=[\w.%-]+/.exec(report!.body.text ?? "")?.[0];
  expect(link, "the report's plain text carries an unsubscribe link").toBeTruthy();

  await page.reload();
  const stored = page.getByRole("table", { name: "Weekly reports" });
  await expect(stored.getByRole("row")).toHaveCount(2);
  await shot(page, "reports-00-list");
  await stored.getByRole("link", { name: /View report/ }).click();
  await expect(page.getByTitle("Report e-mail")).toBeVisible();
  await shot(page, "reports-01-view");

  // The link from the e-mail, in a browser that is not signed in.
  const anonymous = await browser.newContext();
  const visitor = await anonymous.newPage();
  await visitor.goto(link!);
  await expect(visitor.getByRole("heading", { name: "Unsubscribe from weekly reports" })).toBeVisible();
  await visitor.getByRole("button", { name: "Unsubscribe" }).click();
  await expect(visitor.getByRole("heading", { name: "Unsubscribed" })).toBeVisible();
  await shot(visitor, "reports-02-unsubscribed");
  await anonymous.close();

  await page.getByRole("link", { name: "← Weekly reports" }).click();
  await expect(toggle).toHaveAttribute("aria-checked", "false");
  await shot(page, "reports-03-subscription-off");
  await toggle.click();
  await expect(toggle).toHaveAttribute("aria-checked", "true");
  await page.reload();
  await expect(toggle).toHaveAttribute("aria-checked", "true");

  // The portal here has no e-mail configured: "send me now" says so instead of pretending.
  await page.getByRole("button", { name: "Send me this week's report now" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "E-mail is not configured" })).toBeVisible();
});

test("a UI-made Slack channel (edited by keyboard) and budget deliver to the fake Slack; a viewer reads alerts but cannot change them", async ({
  page,
  browser,
  signedUp,
}) => {
  const slack = await startFakeSlack();
  // The e2e server refuses private webhook addresses (the first test checks that); a second instance of the
  // same portal, whose operator allows them, is where the channel pointing at the loopback fake is saved.
  const relaxed = await startPortalInstance({ ALERTS_ALLOW_PRIVATE_WEBHOOKS: "1" });
  try {
    const key = await createProjectWithKey(page);
    const [orgSlug, projectSlug] = new URL(page.url()).pathname.split("/").slice(1, 3) as [string, string];
    expect(orgSlug).toBe(signedUp.orgSlug);
    const projectPath = `/${orgSlug}/${projectSlug}`;
    const hook = "T0E2E/B0SPEND/budget";

    await page.goto(`${relaxed.baseUrl}${projectPath}/alerts/channels`);
    await page.getByRole("button", { name: "Add channel" }).first().click();
    const dialog = page.getByRole("dialog");
    await dialog.getByLabel("Channel name").fill("Spend alerts");
    await dialog.getByLabel("Type").selectOption("slack");
    await dialog.getByLabel("URL").fill(slack.url(hook));
    await dialog.getByRole("button", { name: "Add channel" }).click();
    const channels = page.getByRole("table", { name: "Channels" });
    await expect(channels.getByRole("row", { name: /Spend alerts/ })).toContainText("slack");
    await page.getByRole("button", { name: "Send test notification to Spend alerts" }).click();
    await expect(channels.getByText("Test notification delivered.")).toBeVisible();
    expect(slack.to(hook).map((m) => m.body.text.split("\n")[0])).toEqual(["[TEST] Test notification for Spend alerts"]);

    // Edit with the keyboard only: open, a refused empty name, rename, save with Enter; focus comes back to the row.
    await page.getByRole("button", { name: "Edit Spend alerts" }).focus();
    await page.keyboard.press("Enter");
    const edit = page.getByRole("dialog", { name: "Edit Spend alerts" });
    await expect(edit.getByLabel("Channel name")).toBeFocused();
    await expect(edit.getByLabel("New URL")).toHaveValue("");
    await expect(edit.getByText(/Leave empty to keep it/)).toBeVisible();
    await page.keyboard.press("Escape");
    await expect(edit).toBeHidden();
    await page.getByRole("button", { name: "Edit Spend alerts" }).focus();
    await page.keyboard.press("Enter");
    await expect(edit.getByLabel("Channel name")).toBeFocused();
    await page.keyboard.press("Control+a");
    await page.keyboard.press("Delete");
    await page.keyboard.press("Enter");
    await expect(edit.getByLabel("Channel name")).toHaveAttribute("aria-invalid", "true");
    await page.keyboard.type("Team spend");
    await page.keyboard.press("Tab");
    await expect(edit.getByLabel("New URL")).toBeFocused();
    await shot(page, "alerts-10-channel-edit");
    await page.keyboard.press("Enter");
    await expect(edit).toBeHidden();
    await expect(page.getByRole("button", { name: "Edit Team spend" })).toBeFocused();
    await page.getByRole("button", { name: "Send test notification to Team spend" }).click();
    // The first test's "delivered" notice may still be on screen: wait for the second message itself.
    await expect
      .poll(() => slack.to(hook).map((m) => m.body.text.split("\n")[0]))
      .toEqual(["[TEST] Test notification for Spend alerts", "[TEST] Test notification for Team spend"]);
    await expect(channels.getByText("Test notification delivered.")).toBeVisible();
    await shot(page, "alerts-11-slack-channel");

    // A $1 monthly budget that tells the Slack channel at 100 % and on a projected overrun, once.
    await alertsNav(page, "Alert rules").click();
    await page.getByRole("link", { name: "New alert rule" }).click();
    await page.getByLabel("Name").fill("Monthly LLM budget");
    await page.getByLabel("Rule type").selectOption("budget");
    await page.getByLabel("Monthly budget (USD)").fill("1");
    await page.getByLabel("Notify at (% of budget)").fill("100");
    await expect(page.getByRole("checkbox", { name: "Also notify when the month-end projection overruns the budget" })).toBeChecked();
    await page.getByRole("checkbox", { name: "Team spend (slack)" }).check();
    await page.getByRole("checkbox", { name: "Notify once (never repeat)" }).check();
    await shot(page, "alerts-12-budget-form");
    await page.getByRole("button", { name: "Create rule" }).click();
    const rules = page.getByRole("table", { name: "Alert rules" });
    const budgetRow = rules.getByRole("row", { name: /Monthly LLM budget/ });
    await expect(budgetRow).toContainText("Team spend");
    await expect(budgetRow).toContainText("ok");

    // Four gpt-4o calls priced by the portal at $0.45 each: $1.80 this month.
    await sendPricedLlmCalls(page.request, key, 4);
    await runJob("alerts", mailbox, [], { ALERTS_ALLOW_PRIVATE_WEBHOOKS: "1" });
    const firing = () =>
      slack
        .to(hook)
        .map((m) => m.body.text.split("\n")[0]!)
        .filter((t) => t.startsWith("[FIRING"));
    expect(firing()).toHaveLength(2);
    expect(firing()).toEqual(
      expect.arrayContaining([
        "[FIRING · warning] Monthly LLM budget — LLM spend reached 100% of the $1 monthly budget ($1.80 this month)",
        expect.stringMatching(/^\[FIRING · warning\] Monthly LLM budget — LLM spend is projected to reach \$\d+\.\d\d by month end, over the \$1 budget$/),
      ]),
    );
    await runJob("alerts", mailbox, [], { ALERTS_ALLOW_PRIVATE_WEBHOOKS: "1" });
    expect(firing()).toHaveLength(2);
    await page.reload();
    await expect(budgetRow).toContainText("firing");
    await alertsNav(page, "Incidents").click();
    await expect(page.getByRole("table", { name: "Incidents" }).getByRole("row", { name: /Monthly LLM budget/ })).toHaveCount(2);
    await shot(page, "alerts-13-budget-incidents");

    // A viewer, on the main server: everything readable, nothing to press, and the server refuses if forced.
    await page.goto(projectPath);
    const { memberPage: viewerPage, context } = await inviteMember(page, browser, "viewer");
    await viewerPage.goto(`${projectPath}/alerts`);
    const viewerRules = viewerPage.getByRole("table", { name: "Alert rules" });
    await expect(viewerRules.getByRole("row", { name: /Monthly LLM budget/ })).toContainText("firing");
    await expect(viewerPage.getByRole("link", { name: "New alert rule" })).toHaveCount(0);
    await expect(viewerRules.getByRole("button")).toHaveCount(0);
    await shot(viewerPage, "alerts-14-viewer-rules");
    const ruleHref = await viewerRules.getByRole("link", { name: "Monthly LLM budget" }).getAttribute("href");
    const ruleId = ruleHref!.split("/").at(-1)!;
    await viewerRules.getByRole("link", { name: "Monthly LLM budget" }).click();
    await expect(viewerPage.getByText("LLM spend budget", { exact: false }).first()).toBeVisible();
    await expect(viewerPage.getByRole("button", { name: "Save rule" })).toHaveCount(0);
    await expect(viewerPage.getByLabel("Monthly budget (USD)")).toHaveCount(0);
    await viewerPage.goto(`${projectPath}/alerts/rules/new`);
    await expect(viewerPage.getByText("Read-only")).toBeVisible();
    await viewerPage.goto(`${projectPath}/alerts/channels`);
    const viewerChannels = viewerPage.getByRole("table", { name: "Channels" });
    await expect(viewerChannels.getByRole("row", { name: /Team spend/ })).toContainText("slack");
    await expect(viewerPage.getByRole("button", { name: "Add channel" })).toHaveCount(0);
    await expect(viewerChannels.getByRole("button")).toHaveCount(0);
    await shot(viewerPage, "alerts-15-viewer-channels");
    const channelId = (await viewerChannels.locator("tr[data-channel]").first().getAttribute("data-channel"))!;
    await viewerPage.goto(`${projectPath}/alerts/silences`);
    await expect(viewerPage.getByText("No active silences")).toBeVisible();
    await expect(viewerPage.getByRole("button", { name: "New silence" })).toHaveCount(0);
    await viewerPage.goto(`${projectPath}/alerts/incidents`);
    await expect(viewerPage.getByRole("table", { name: "Incidents" }).getByRole("row", { name: /Monthly LLM budget/ })).toHaveCount(2);

    const scope = { orgSlug, projectSlug };
    const forced: Array<[string, Record<string, unknown>]> = [
      ["alerts.createChannel", { ...scope, name: "mine", config: { kind: "slack", url: slack.url("T/viewer") } }],
      ["alerts.updateChannel", { ...scope, id: channelId, name: "renamed by a viewer" }],
      ["alerts.deleteChannel", { ...scope, id: channelId }],
      ["alerts.testChannel", { ...scope, id: channelId }],
      ["alerts.createRule", { ...scope, name: "mine", config: { kind: "new_group" } }],
      ["alerts.updateRule", { ...scope, id: ruleId, enabled: false }],
      ["alerts.deleteRule", { ...scope, id: ruleId }],
      ["alerts.createSilence", { ...scope, ruleId, endsAt: new Date(Date.now() + 3_600_000).toISOString() }],
    ];
    for (const [procedure, input] of forced) {
      const res = await viewerPage.request.post(`/api/trpc/${procedure}`, { data: { json: input } });
      const body = (await res.json()) as { error?: { json?: { data?: { code?: string } } } };
      expect([procedure, res.status(), body.error?.json?.data?.code]).toEqual([procedure, 403, "FORBIDDEN"]);
    }
    await context.close();
    await page.goto(`${projectPath}/alerts/channels`);
    await expect(page.getByRole("table", { name: "Channels" }).getByRole("row", { name: /Team spend/ })).toContainText("slack");
    await alertsNav(page, "Alert rules").click();
    await expect(page.getByRole("table", { name: "Alert rules" }).getByRole("row", { name: /Monthly LLM budget/ })).not.toContainText("silenced");
    expect(slack.to("T/viewer")).toHaveLength(0);
  } finally {
    await relaxed.close();
    await slack.close();
  }
});
