import { readFileSync } from "node:fs";
import { verifyCheckpoint } from "@sightline/node/audit";
import { createProjectWithIngestKey, expect, shot, test } from "./fixtures";

test.describe("an app's audit trail", () => {
  test("events sent by the app appear on the project's Audit page, searchable, with a checkpoint that verifies offline", async ({ page, signedUp }) => {
    const { key, projectPath } = await createProjectWithIngestKey(page, "Audited app");
    await page.getByRole("navigation", { name: "Project" }).getByRole("link", { name: "Audit" }).click();
    await expect(page).toHaveURL(new RegExp(`${projectPath}/audit$`));
    await expect(page.getByText("No audit events yet")).toBeVisible();

    const sent = await page.request.post("/api/v1/ingest", {
      headers: { authorization: `Bearer ${key}` },
      data: {
        batch: [
          { type: "audit", id: "a1", actor: { id: "u-1", email: "ada@app.test" }, action: "user.signed_in", ip: "203.0.113.5" },
          { type: "audit", id: "a2", actor: { id: "u-1", email: "ada@app.test" }, action: "role.changed", target: { type: "user", id: "u-2", name: "Grace" } },
          { type: "audit", id: "a3", actor: { email: "eve@app.test" }, action: "data.exported", outcome: "denied" },
        ],
      },
    });
    expect(await sent.json()).toMatchObject({ accepted: 3 });
    await page.reload();
    const table = page.getByRole("table", { name: "Audit log" });
    await expect(table.getByRole("row")).toHaveCount(4);
    await expect(table.getByRole("row").nth(1)).toContainText("data.exported");
    await expect(table.getByRole("row").nth(1)).toContainText("denied");
    await expect(table).toContainText("Grace");

    // Search by actor, with the keyboard.
    await page.getByLabel("Actor").fill("EVE@");
    await page.getByLabel("Actor").press("Enter");
    await expect(table.getByRole("row")).toHaveCount(2);
    await page.getByRole("button", { name: "Clear" }).click();
    await page.getByLabel("Action").selectOption("role.changed");
    await page.getByRole("button", { name: "Search" }).click();
    await expect(table.getByRole("row")).toHaveCount(2);
    await expect(table).toContainText("role.changed");

    const status = page.getByTestId("audit-checkpoint-status");
    await expect(status).toContainText("None yet: 3 entries");
    await page.getByRole("button", { name: "Sign a checkpoint now" }).click();
    await expect(status).toContainText(/^3 of 3 entries, signed/);
    await shot(page, "app-audit");
    const downloading = page.waitForEvent("download");
    await page.getByRole("button", { name: "Download checkpoint" }).click();
    const note = readFileSync((await (await downloading).path())!, "utf8");
    const verifierKey = (await page.getByTestId("audit-verifier-key").textContent())!.trim();
    expect(verifyCheckpoint(note, verifierKey)).toMatchObject({ ok: true, checkpoint: { size: 3, origin: expect.stringContaining("/project:") } });
    expect(signedUp.orgSlug).toBeTruthy();
  });
});
