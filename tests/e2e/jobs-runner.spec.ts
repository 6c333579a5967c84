import pg from "pg";
import { createTestDatabase } from "../../scripts/lib/test-database";
import { startFakeResend } from "../fakes/resend";
import { confirmSignUpByEmail, expect, fillSignUp, makeUser, shot, test } from "./fixtures";
import { startPortalInstance } from "./alerts/instance";
import { alertsNav, createProjectWithKey, projectNav } from "./alerts/ui";

/**
 * A fresh install lives on its own: a portal started the way `npm start` starts it, with no cron,
 * no Inngest and no job run by hand, e-mails a "new error group" alert for an error sent to its
 * ingest API. Its own database, so nothing else the suite does is evaluated by its runner.
 */
test("with npm start alone, an ingested error reaches the e-mail channel of a new-group rule within 90 s", async ({ page }) => {
  test.setTimeout(300_000);
  const db = await createTestDatabase("e2e_runner");
  const mailbox = await startFakeResend();
  // JOBS_RUNNER is unset for this instance (the suite's own server runs with it off): the default applies.
  const portal = await startPortalInstance(
    { DATABASE_URL: db.url, RESEND_API_KEY: "re_e2e_fake", RESEND_BASE_URL: mailbox.baseUrl, JOBS_RUNNER: "", LOG_LEVEL: "info" },
    { asNpmStart: true },
  );
  try {
    const user = makeUser("runner");
    await page.goto(`${portal.baseUrl}/signup`);
    await fillSignUp(page, user);
    await confirmSignUpByEmail(page, mailbox, user); // this instance sends e-mail, so sign-up confirms the address

    const key = await createProjectWithKey(page);

    await projectNav(page, "Alerts").click();
    await alertsNav(page, "Channels").click();
    await page.getByRole("button", { name: "Add channel" }).first().click();
    const dialog = page.getByRole("dialog");
    await dialog.getByLabel("Channel name").fill("Me by e-mail");
    await dialog.getByLabel("Type").selectOption("email");
    await dialog.getByRole("checkbox", { name: new RegExp(user.email) }).check();
    await dialog.getByRole("button", { name: "Add channel" }).click();
    await expect(page.getByRole("table", { name: "Channels" }).getByRole("row", { name: /Me by e-mail/ })).toBeVisible();

    await alertsNav(page, "Alert rules").click();
    await page.getByRole("link", { name: "New alert rule" }).click();
    await page.getByLabel("Name").fill("Any new error");
    await page.getByLabel("Rule type").selectOption("new_group");
    await page.getByRole("checkbox", { name: "Me by e-mail (email)" }).check();
    await page.getByRole("button", { name: "Create rule" }).click();
    await expect(page.getByRole("table", { name: "Alert rules" }).getByRole("row", { name: /Any new error/ })).toContainText("New error group");
    // The runner evaluated at start-up (catch-up of the latest tick), so the page already says when.
    await expect(page.getByText(/Rules are evaluated every minute · last evaluation/)).toBeVisible({ timeout: 90_000 });
    await shot(page, "jobs-runner-01-rules");

    const sentAt = Date.now();
    const res = await page.request.post(`${portal.baseUrl}/api/v1/ingest`, {
      headers: { authorization: `Bearer ${key}` },
      data: {
        batch: [
          {
            type: "error",
            level: "error",
            message: "Stripe webhook signature mismatch",
            exception: { values: [{ type: "SignatureVerificationError", value: "No signatures found matching the expected signature" }] },
          },
        ],
      },
    });
    expect(res.status()).toBe(200);
    expect(await res.json()).toMatchObject({ accepted: 1 });

    await expect
      .poll(() => mailbox.to(user.email).filter((m) => /Any new error/.test(m.body.subject)).length, { timeout: 150_000, intervals: [1_000] })
      .toBe(1);
    const latencyMs = Date.now() - sentAt;
    console.log(`ingest → alert e-mail: ${(latencyMs / 1000).toFixed(1)} s`);
    expect(latencyMs).toBeLessThanOrEqual(90_000);
    const mail = mailbox.to(user.email).find((m) => /Any new error/.test(m.body.subject))!;
    expect(mail.body.subject).toMatch(/^\[FIRING · warning\] Any new error — New error: /);

    const health = await page.request.get(`${portal.baseUrl}/api/health`);
    expect(health.status()).toBe(200);
    const body = (await health.json()) as { status: string; jobs: Record<string, { state: string; lastSuccessAt: string | null }> };
    expect(body.status).toBe("ok");
    expect(body.jobs.alerts?.lastSuccessAt).not.toBeNull();
    expect(body.jobs.rollup?.lastSuccessAt).not.toBeNull();
    expect(portal.output()).toContain("job runner started");

    // Evaluation stops (a failed run of a tick far ahead leaves the runner nothing to claim) and its
    // last success ages past three intervals: the page warns, and the owner sees the job's error.
    const sql = new pg.Client({ connectionString: db.url });
    await sql.connect();
    await sql.query(`UPDATE job_runs SET finished_at = now() - interval '10 minutes' WHERE job = 'alerts' AND status = 'succeeded'`);
    await sql.query(`INSERT INTO job_runs (job, tick, instance, status, lease_until, finished_at, duration_ms, error)
      VALUES ('alerts', now() + interval '1 day', 'e2e', 'failed', now(), now(), 3, 'canceling statement due to statement timeout')`);
    await sql.end();
    await page.reload();
    const banner = page.getByRole("alert").filter({ hasText: "Alert evaluation is behind" });
    await expect(banner).toContainText("rules are not being checked");
    await expect(banner).toContainText("Last error: canceling statement due to statement timeout");
    await shot(page, "jobs-runner-02-evaluation-behind");
    expect((await page.request.get(`${portal.baseUrl}/api/health`)).status()).toBe(503);
  } finally {
    await portal.close();
    await mailbox.close();
    await db.drop();
  }
});
