import type { BrowserContext, Page } from "@playwright/test";
import { expect, shot, test } from "./fixtures";
import { projectWithIngestKey } from "./dashboards/project";
import { sendTraffic } from "./dashboards/traffic";

/**
 * The toolbar's custom range and auto-refresh, with a viewer in New York: the range is typed with
 * the keyboard as New York wall time, lands in the URL as the matching UTC instants, is shown back
 * in New York time, and changes the numbers; auto-refresh and Refresh count a request sent after
 * the page loaded without reloading it. Requests are counted by hand: 5 about 90 minutes ago,
 * 3 about 20 minutes ago.
 */

const ZONE = "America/New_York";
test.use({ timezoneId: ZONE, locale: "en-US" });

let context: BrowserContext;
let page: Page;
let projectPath: string;
let ingestKey: string;
const loadedAt = Date.now();

const request = (minutesAgo: number, i: number) => ({
  type: "request",
  service: "web",
  environment: "production",
  timestamp: new Date(loadedAt - minutesAgo * 60_000 + i * 1000).toISOString(),
  method: "GET",
  route: "/api/items/:id",
  path: `/api/items/${i}`,
  status: 200,
  durationMs: 20 + i,
});

test.beforeAll(async ({ browser }) => {
  test.setTimeout(120_000);
  context = await browser.newContext({ timezoneId: ZONE, locale: "en-US" });
  page = await context.newPage();
  ({ projectPath, ingestKey } = await projectWithIngestKey(page, "range", "Time Ranges"));
  const batch = [...[0, 1, 2, 3, 4].map((i) => request(90, i)), ...[0, 1, 2].map((i) => request(20, i))];
  expect(await sendTraffic(page.request, ingestKey, batch)).toBe(8);
});

test.afterAll(async () => {
  await context?.close();
});

/** A New York wall time, as the en-US datetime-local field takes keys and as the page shows it. */
function newYork(at: Date) {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat("en-US", { timeZone: ZONE, year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", hour12: true })
      .formatToParts(at)
      .map((p) => [p.type, p.value]),
  );
  return {
    keys: { date: `${parts.month}${parts.day}${parts.year}`, time: `${parts.hour}${parts.minute}${parts.dayPeriod}` },
    shown: new RegExp(`\\b${Number(parts.hour)}:${parts.minute}\\s${parts.dayPeriod}`),
  };
}

/** Types a wall time into the focused datetime-local field: month, day, year, → hour, minute, AM/PM. */
async function typeWallTime(at: Date) {
  const { keys } = newYork(at);
  await page.keyboard.type(keys.date);
  await page.keyboard.press("ArrowRight");
  await page.keyboard.type(keys.time);
}

const requests = () => page.getByTestId("kpi-requests-value");

test("a custom range typed with the keyboard in New York time: URL, shown range and numbers", async () => {
  await page.goto(projectPath);
  await expect(requests()).toHaveText("8");
  await expect(page.getByTestId("time-zone")).toHaveText(ZONE);

  // From two hours ago to one hour ago, whole minutes: holds the 5 requests of 90 minutes ago.
  const minute = (ms: number) => new Date(Math.floor(ms / 60_000) * 60_000);
  const from = minute(loadedAt - 120 * 60_000);
  const to = minute(loadedAt - 60 * 60_000);

  await page.getByLabel("Time range").focus();
  await page.keyboard.press("c"); // type-ahead: "Custom range…"
  const form = page.getByRole("form", { name: "Custom time range" });
  await expect(form).toBeVisible();
  await expect(form.getByLabel("From")).toBeFocused();
  await typeWallTime(from);
  await page.keyboard.press("Tab"); // the field's calendar button
  await page.keyboard.press("Tab");
  await expect(form.getByLabel("To")).toBeFocused();
  await typeWallTime(to);
  await page.keyboard.press("Enter");
  await expect(form).toHaveCount(0);

  // The URL carries the instants (UTC), not the wall time read as UTC.
  const url = new URL(page.url());
  expect(url.searchParams.get("range")).toBe("custom");
  expect(url.searchParams.get("from")).toBe(from.toISOString());
  expect(url.searchParams.get("to")).toBe(to.toISOString());
  await expect(page.getByLabel("Time range")).toHaveValue("custom");
  const shown = page.getByTestId("custom-range");
  await expect(shown).toContainText(newYork(from).shown);
  await expect(shown).toContainText(newYork(to).shown);
  await expect(requests()).toHaveText("5");
  await shot(page, "range-01-custom-new-york");

  // The shared URL reproduces the view.
  const shared = await context.newPage();
  await shared.goto(page.url());
  await expect(shared.getByTestId("kpi-requests-value")).toHaveText("5");
  await expect(shared.getByTestId("custom-range")).toContainText(newYork(from).shown);
  await shared.close();

  // Escape leaves the custom form without changing the range, focus back on the picker.
  await shown.press("Enter");
  await expect(form.getByLabel("From")).toBeFocused();
  await page.keyboard.press("Escape");
  await expect(form).toHaveCount(0);
  await expect(page.getByLabel("Time range")).toBeFocused();
  expect(new URL(page.url()).searchParams.get("from")).toBe(from.toISOString());
});

test("auto-refresh counts a request sent after it was switched on, and Refresh another, without a reload", async () => {
  await page.clock.install();
  await page.goto(projectPath);
  await expect(requests()).toHaveText("8");
  await page.evaluate(() => Object.assign(window, { __sameDocument: true }));

  await page.getByLabel("Auto-refresh (30 s)").focus();
  await page.keyboard.press("Space");
  await expect(page.getByLabel("Auto-refresh (30 s)")).toBeChecked();
  await expect(page).toHaveURL(/refresh=on/);

  // Stamped on arrival: after the end of the window the page loaded with, so only a moved window counts it.
  const now = ({ timestamp, ...rest }: Record<string, unknown>) => (void timestamp, rest);
  await sendTraffic(page.request, ingestKey, [now(request(0, 0))]);
  await page.clock.fastForward(31_000); // one auto-refresh period
  await expect(requests()).toHaveText("9");

  // Switched off, the next request is counted when Refresh is pressed (the clock is not moved again).
  await page.getByLabel("Auto-refresh (30 s)").press("Space");
  await expect(page).not.toHaveURL(/refresh=on/);
  await sendTraffic(page.request, ingestKey, [now(request(0, 1))]);
  await page.getByRole("button", { name: "Refresh", exact: true }).click();
  await expect(requests()).toHaveText("10");
  expect(await page.evaluate(() => (window as unknown as { __sameDocument?: boolean }).__sameDocument)).toBe(true);
  await shot(page, "range-02-auto-refresh");
});
