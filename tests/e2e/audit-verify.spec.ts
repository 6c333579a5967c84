import { readFileSync } from "node:fs";
import { verifyCheckpoint } from "@sightline/node/audit";
import { expect, shot, test } from "./fixtures";

test.describe("audit log verification", () => {
  test("an owner signs a checkpoint, downloads it, and it verifies offline with the verifier key the page shows", async ({ page, signedUp }) => {
    await page.goto(`/${signedUp.orgSlug}/settings/audit`);
    const status = page.getByTestId("audit-checkpoint-status");
    await expect(status).toContainText("None yet");
    await expect(page.getByRole("button", { name: "Download checkpoint" })).toBeDisabled();

    await page.getByRole("button", { name: "Sign a checkpoint now" }).click();
    await expect(status).toContainText(/^\d+ of \d+ entries, signed/);
    const [covered, total] = (await status.textContent())!.match(/\d+/g)!.map(Number);
    expect(covered).toBe(total);
    await expect(page.getByRole("button", { name: "Sign a checkpoint now" })).toBeDisabled();
    await shot(page, "audit-verify");

    const downloading = page.waitForEvent("download");
    await page.getByRole("button", { name: "Download checkpoint" }).click();
    const file = await (await downloading).path();
    const note = readFileSync(file, "utf8");
    const verifierKey = (await page.getByTestId("audit-verifier-key").textContent())!.trim();
    const check = verifyCheckpoint(note, verifierKey);
    expect(check).toMatchObject({ ok: true, checkpoint: { size: covered } });
    expect(verifyCheckpoint(note.replace(`\n${covered}\n`, `\n${covered! + 1}\n`), verifierKey).ok).toBe(false);
  });
});
