import type { BrowserContext, Page } from "@playwright/test";
import { randomBytes } from "node:crypto";
import { expect, shot, test } from "./fixtures";
import { projectWithIngestKey } from "./dashboards/project";
import { sendTraffic } from "./dashboards/traffic";

/**
 * Logs page over a small hand-made dataset sent through the ingest API: 130 lines (so the list
 * has three pages of 50), an error log sharing its trace and span with an error event, a log whose
 * trace has no errors. The drawer links to the error group; scrolling loads older pages; live tail
 * shows a line sent after it was switched on.
 */

let context: BrowserContext;
let page: Page;
let projectPath: string;
let ingestKey: string;
const hex = (bytes: number) => randomBytes(bytes).toString("hex");
const FAILING = { traceId: hex(16), spanId: hex(8) };
const QUIET = { traceId: hex(16), spanId: hex(8) };
const LINES = 130;

test.beforeAll(async ({ browser }) => {
  test.setTimeout(120_000);
  context = await browser.newContext();
  page = await context.newPage();
  ({ projectPath, ingestKey } = await projectWithIngestKey(page, "logs", "Log Search"));
  const now = Date.now();
  const common = { service: "api", environment: "production", release: "api@2.1.0" };
  const events: Array<Record<string, unknown>> = [];
  for (let i = 1; i <= LINES; i++)
    events.push({
      type: "log",
      ...common,
      timestamp: now - 3_600_000 + i * 20_000,
      level: "info",
      message: `processed batch ${String(i).padStart(3, "0")}`,
      attributes: { batch: i },
    });
  events.push(
    {
      type: "error",
      ...common,
      ...FAILING,
      timestamp: now - 60_000,
      level: "error",
      exception: {
        values: [
          {
            type: "CardDeclinedError",
            value: "Payment provider declined the card",
            stacktrace: { frames: [{ filename: "src/billing/charge.ts", function: "chargeCart", lineno: 88, in_app: true }] },
          },
        ],
      },
    },
    {
      type: "log",
      ...common,
      ...FAILING,
      timestamp: now - 60_000,
      level: "error",
      message: "charge failed: card declined",
      attributes: { "order.id": "A-1001" },
    },
    { type: "log", ...common, ...QUIET, timestamp: now - 50_000, level: "info", message: "charge succeeded", attributes: { "order.id": "A-1002" } },
  );
  expect(await sendTraffic(page.request, ingestKey, events)).toBe(events.length);
});

test.afterAll(async () => {
  await context?.close();
});

const openLogs = async (query = "") => {
  await page.goto(`${projectPath}/logs${query}`);
  await expect(page.getByTestId("log-row").first()).toBeVisible();
};

test("the drawer of an error log links to the error group of its trace and span; a trace without errors gets no link", async () => {
  await openLogs();
  await page.getByLabel("Search logs").fill("charge");
  await page.getByLabel("Search logs").press("Enter");
  const rows = page.getByTestId("log-row");
  await expect(rows).toHaveCount(2);

  await rows.filter({ hasText: "charge succeeded" }).click();
  const drawer = page.getByRole("dialog", { name: "Log details" });
  await expect(drawer.getByRole("link", { name: "View trace →" })).toBeVisible();
  await expect(drawer.getByTestId("log-errors-loading")).toHaveCount(0);
  await expect(drawer.getByRole("link", { name: /^Error:/ })).toHaveCount(0);
  await page.keyboard.press("Escape");
  await expect(drawer).toHaveCount(0);

  await rows.filter({ hasText: "charge failed" }).click();
  await expect(drawer).toContainText(FAILING.spanId);
  const link = drawer.getByRole("list", { name: "Errors in this span" }).getByRole("link", { name: /^Error: CardDeclinedError/ });
  await expect(link).toBeVisible();
  await expect(drawer.getByRole("list", { name: "Errors in this span" })).toContainText("1 event in this span");
  await shot(page, "logs-01-drawer-error-link");
  await link.click();
  await expect(page).toHaveURL(new RegExp(`${projectPath}/errors/[0-9a-f-]{36}`));
  await expect(page.getByRole("heading", { level: 1 })).toContainText("CardDeclinedError");
  await expect(page.getByTestId("stack-trace")).toContainText("chargeCart");
});

test("scrolling the list loads older pages until the start of the range, without repeating a line", async () => {
  await openLogs("?level=info");
  const rows = page.getByTestId("log-row");
  await expect(rows).toHaveCount(50);
  await expect(rows.first()).toContainText("charge succeeded");
  const total = LINES + 1; // the batches and "charge succeeded"
  // Wheel scrolling only (no clicks): the sentinel under the list comes into view and the next page loads.
  for (const expected of [100, total]) {
    await expect(async () => {
      await page.mouse.wheel(0, 4000);
      await expect(rows).toHaveCount(expected, { timeout: 1_000 });
    }).toPass();
  }
  await page.mouse.wheel(0, 4000);
  await expect(page.getByText("Start of range reached")).toBeVisible();
  const messages = (await rows.allInnerTexts()).map((t) => t.match(/processed batch \d+|charge succeeded/)![0]);
  expect(new Set(messages).size).toBe(total);
  expect(messages.at(-1)).toBe("processed batch 001");
  await shot(page, "logs-02-infinite-scroll");
});

test("live tail shows a line sent through the ingest API after it was switched on, without a reload", async () => {
  await openLogs();
  await page.evaluate(() => Object.assign(window, { __sameDocument: true }));
  await page.getByLabel("Live tail").check();
  await expect(page).toHaveURL(/live=on/);
  await expect(page.getByText("Live: newest first")).toBeVisible();
  const message = `tail check ${hex(4)}`;
  await sendTraffic(page.request, ingestKey, [{ type: "log", service: "api", level: "warn", message, attributes: { tail: true } }]);
  await expect(page.getByTestId("log-row").first()).toContainText(message);
  expect(await page.evaluate(() => (window as unknown as { __sameDocument?: boolean }).__sameDocument)).toBe(true);
  await shot(page, "logs-03-live-tail");
});

test("live tail keeps showing new lines when the page has been open for hours", async () => {
  // The page's clock starts two hours back, as if opened then: its window ends an hour before a line sent now.
  const tail = await context.newPage();
  await tail.clock.install({ time: new Date(Date.now() - 2 * 3_600_000) });
  await tail.goto(`${projectPath}/logs?live=on`);
  await expect(tail.getByText("Live: newest first")).toBeVisible();
  const message = `late tail check ${hex(4)}`;
  await sendTraffic(tail.request, ingestKey, [{ type: "log", service: "api", level: "warn", message }]);
  await tail.clock.runFor(7_000); // two refetches: the line is outside the window until the window moves
  await expect(tail.getByTestId("log-row").filter({ hasText: message })).toHaveCount(0);
  await tail.clock.fastForward("02:00:00");
  await expect(tail.getByTestId("log-row").first()).toContainText(message);
  await tail.close();
});
