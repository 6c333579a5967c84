import { expect, shot, test } from "./fixtures";
import { projectWithIngestKey } from "./dashboards/project";
import { sendTraffic } from "./dashboards/traffic";

/**
 * The errors list filtered by release: three exceptions, one only in 2.0.0, one only in 1.0.0, one
 * in both. Typing a release (keyboard only) puts it in the URL and leaves the groups of that release.
 */

const error = (type: string, release: string, minutesAgo: number) => ({
  type: "error",
  service: "web",
  environment: "production",
  release,
  level: "error",
  timestamp: new Date(Date.now() - minutesAgo * 60_000).toISOString(),
  exception: {
    values: [{ type, value: `${type} happened`, stacktrace: { frames: [{ filename: `src/${type}.ts`, function: "run", lineno: 7, in_app: true }] } }],
  },
});

test("errors: a release filter changes the URL and the list, and the shared URL reproduces it", async ({ page, browser }) => {
  const { projectPath, ingestKey } = await projectWithIngestKey(page, "releases", "Releases");
  await sendTraffic(page.request, ingestKey, [
    error("NewReleaseError", "2.0.0", 5),
    error("NewReleaseError", "2.0.0", 4),
    error("OldReleaseError", "1.0.0", 30),
    error("OldReleaseError", "1.0.0", 29),
    error("OldReleaseError", "1.0.0", 28),
    error("EverywhereError", "1.0.0", 20),
    error("EverywhereError", "2.0.0", 3),
  ]);
  await page.goto(`${projectPath}/errors`);
  const table = page.getByRole("table", { name: "Error groups" });
  const rows = table.getByTestId("error-group-row");
  await expect(rows).toHaveCount(3);

  await page.getByRole("searchbox", { name: "Release" }).focus();
  await page.keyboard.type("2.0.0");
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(/[?&]release=2\.0\.0(&|$)/);
  await expect(rows).toHaveCount(2);
  await expect(table).toContainText("NewReleaseError");
  await expect(table).toContainText("EverywhereError");
  await expect(table).not.toContainText("OldReleaseError");
  // Events are counted within the release: EverywhereError has one event in 2.0.0.
  await expect(rows.filter({ hasText: "EverywhereError" }).getByRole("cell").nth(2)).toHaveText("1");
  await shot(page, "errors-01-release-filter");

  const sharedContext = await browser.newContext({ storageState: await page.context().storageState() });
  const shared = await sharedContext.newPage();
  await shared.goto(page.url());
  await expect(shared.getByRole("searchbox", { name: "Release" })).toHaveValue("2.0.0");
  await expect(shared.getByRole("table", { name: "Error groups" }).getByTestId("error-group-row")).toHaveCount(2);
  await sharedContext.close();

  await page.getByRole("searchbox", { name: "Release" }).fill("1.0.0");
  await page.getByRole("searchbox", { name: "Release" }).press("Enter");
  await expect(page).toHaveURL(/[?&]release=1\.0\.0(&|$)/);
  await expect(table).toContainText("OldReleaseError");
  await expect(table).not.toContainText("NewReleaseError");
  await expect(rows).toHaveCount(2);
});
