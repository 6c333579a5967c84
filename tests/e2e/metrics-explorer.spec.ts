import type { APIRequestContext } from "@playwright/test";
import { createProjectWithIngestKey, expect, makeUser, shot, signUp, test } from "./fixtures";
import { runJob, startMailbox } from "./alerts/jobs";
import { sendTraffic } from "./dashboards/traffic";

/** A cumulative counter per route, as an OpenTelemetry SDK sends it: running totals since a start time, every 4 minutes. */
async function sendCounter(request: APIRequestContext, ingestKey: string) {
  const start = Date.now() - 50 * 60_000;
  const events: Array<Record<string, unknown>> = [];
  for (let m = 1; m <= 10; m++) {
    for (const [route, perMinute] of [
      ["/checkout", 12],
      ["/cart", 3],
    ] as const) {
      events.push({
        type: "metric",
        name: "http.server.requests",
        kind: "counter",
        temporality: "cumulative",
        startTimestamp: start,
        timestamp: start + m * 4 * 60_000,
        value: perMinute * 4 * m,
        unit: "{request}",
        service: "shop",
        attributes: { route, method: "GET" },
      });
    }
  }
  events.push({ type: "metric", name: "queue.depth", kind: "gauge", timestamp: Date.now() - 60_000, value: 4, service: "shop" });
  expect(await sendTraffic(request, ingestKey, events)).toBe(events.length);
}

/**
 * Metrics page: a cumulative counter sent through the batch API (as an OpenTelemetry SDK would
 * send it: running totals since a start time), explored as a rate per second grouped by route,
 * then the shared URL opened in a fresh page shows the same metric, aggregation, grouping and series.
 */

test("explore a counter's rate grouped by an attribute, reopen the shared URL, and alert on it from the page into e-mail", async ({ browser }) => {
  test.setTimeout(120_000);
  const context = await browser.newContext();
  const page = await context.newPage();
  const user = makeUser("metrics");
  await signUp(page, user);
  const { key: ingestKey, projectPath } = await createProjectWithIngestKey(page, "Metric Explorer");

  await page.goto(`${projectPath}/metrics`);
  await expect(page.getByTestId("no-metrics")).toContainText("orders.created");
  await sendCounter(page.request, ingestKey);

  await page.goto(`${projectPath}/metrics?range=1h`);
  await page.getByLabel("Search metrics").fill("http");
  const names = page.getByRole("list", { name: "Metric names" });
  await expect(names.getByRole("button")).toHaveCount(1);
  await expect(names).toContainText("sum");
  await names.getByRole("button", { name: /http\.server\.requests/ }).click();

  await page.getByLabel("Aggregation").selectOption("rate");
  await page.getByLabel("Group by", { exact: true }).selectOption("route");
  const rows = page.getByTestId("series-row");
  await expect(rows).toHaveCount(2);
  await expect(rows.nth(0)).toContainText("route=/checkout");
  await expect(rows.nth(1)).toContainText("route=/cart");
  // 480 requests on /checkout over the hour's 3 600 s: 0.1333 per second; /cart a quarter of it.
  await expect(rows.nth(0)).toContainText("0.1333");
  await expect(rows.nth(1)).toContainText("0.03333");
  await expect(page.getByTestId("metric-chart")).toBeVisible();
  await shot(page, "metrics-01-rate-by-route");

  const shared = page.url();
  expect(new URL(shared).searchParams.get("agg")).toBe("rate");
  const other = await context.newPage();
  await other.goto(shared);
  await expect(other.getByLabel("Aggregation")).toHaveValue("rate");
  await expect(other.getByLabel("Group by", { exact: true })).toHaveValue("route");
  await expect(other.getByRole("list", { name: "Metric names" }).getByRole("button", { pressed: true })).toContainText("http.server.requests");
  await expect(other.getByTestId("series-row")).toHaveCount(2);
  await expect(other.getByTestId("series-row").nth(0)).toContainText("0.1333");

  // The attribute filter narrows to one route, from the keyboard.
  await other.getByLabel("Attribute filter").fill("route=/cart");
  await other.getByLabel("Attribute filter").press("Enter");
  await expect(other.getByTestId("series-row")).toHaveCount(1);
  await expect(other.getByTestId("series-row")).toContainText("route=/cart");
  const filtered = other.url();

  // An e-mail channel to myself, then a rule made from the explorer's view: /cart's rate above 0.02/s in 60 min.
  const mailbox = await startMailbox();
  try {
    await other.goto(`${projectPath}/alerts/channels`);
    await other.getByRole("button", { name: "Add channel" }).first().click();
    const dialog = other.getByRole("dialog");
    await dialog.getByLabel("Channel name").fill("Me by e-mail");
    await dialog.getByLabel("Type").selectOption("email");
    await dialog.getByRole("checkbox", { name: new RegExp(user.email) }).check();
    await dialog.getByRole("button", { name: "Add channel" }).click();
    await expect(other.getByRole("table", { name: "Channels" })).toContainText("Me by e-mail");

    await other.goto(filtered);
    await other.getByRole("link", { name: "Create alert rule" }).click();
    await expect(other.getByLabel("Metric", { exact: true })).toHaveValue("custom_metric");
    await expect(other.getByLabel("Metric name")).toHaveValue("http.server.requests");
    await expect(other.getByLabel("Aggregation")).toHaveValue("rate");
    await expect(other.getByLabel("Attribute filter")).toHaveValue("route=/cart");
    await other.getByLabel("Name", { exact: true }).fill("Cart traffic");
    await other.getByLabel("Severity").selectOption("critical");
    await other.getByLabel("Window (minutes)").fill("60");
    await other.getByLabel("Threshold", { exact: true }).fill("0.02");
    await other.getByRole("checkbox", { name: "Me by e-mail (email)" }).check();
    await expect(other.getByText("When: rate of http.server.requests where route=/cart > 0.02 in 1 h")).toBeVisible();
    await shot(other, "metrics-02-rule-from-explorer");
    await other.getByRole("button", { name: "Create rule" }).click();
    await expect(other.getByRole("table", { name: "Alert rules" }).getByRole("row", { name: /Cart traffic/ })).toBeVisible();

    await runJob("alerts", mailbox);
    const mails = mailbox.to(user.email);
    expect(mails).toHaveLength(1);
    expect(mails[0]!.body.subject).toMatch(/^\[FIRING · critical\] Cart traffic/);
  } finally {
    await mailbox.close();
  }
  await context.close();
});
