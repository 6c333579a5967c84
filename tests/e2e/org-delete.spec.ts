import { expect, shot, test } from "./fixtures";

test.describe("organisation deletion", () => {
  test("an owner deletes an organisation after typing its slug; it is gone everywhere", async ({ page, signedUp }) => {
    // A second organisation with a project in it, to delete.
    await page.getByRole("button", { name: "+ New organisation" }).click();
    await page.getByLabel("Organisation name").fill("Doomed Labs");
    await page.getByRole("button", { name: "Create organisation" }).click();
    await expect(page.getByRole("heading", { name: "Doomed Labs" })).toBeVisible();
    const orgSlug = new URL(page.url()).pathname.split("/")[1]!;
    await page.getByRole("button", { name: "New project" }).first().click();
    await page.getByLabel("Project name").fill("Short Lived");
    await page.getByRole("button", { name: "Create project" }).click();
    await expect(page.getByRole("navigation", { name: "Breadcrumb" })).toContainText("Short Lived");

    await page.goto(`/${orgSlug}`);
    await page.getByRole("navigation", { name: "Organisation" }).getByRole("link", { name: "Organisation" }).click();
    await expect(page.getByRole("heading", { name: "Delete this organisation" })).toBeVisible();
    await page.getByRole("button", { name: "Delete organisation…" }).click();

    const dialog = page.getByRole("dialog", { name: "Delete Doomed Labs?" });
    await expect(dialog).toBeVisible();
    const confirmButton = dialog.getByRole("button", { name: "Delete organisation" });
    // Anything but the slug keeps the button disabled.
    await dialog.getByLabel("Organisation slug").fill("doomed");
    await expect(confirmButton).toBeDisabled();
    await dialog.getByLabel("Organisation slug").fill(orgSlug);
    await expect(confirmButton).toBeEnabled();
    await shot(page, "org-delete-confirm");
    await confirmButton.click();

    // Back on the first remaining organisation, which no longer offers the deleted one.
    await expect(page).toHaveURL(new RegExp(`/${signedUp.orgSlug}$`));
    await expect(page.getByLabel("Switch organisation").locator("option")).not.toContainText(["Doomed Labs"]);
    await page.goto(`/${orgSlug}`);
    await expect(page.getByRole("heading", { name: "Page not found" })).toBeVisible();
  });
});
