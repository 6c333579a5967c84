import pg from "pg";
import { expect, fillSignUp, makeUser, shot, test } from "./fixtures";

test.describe("portal foundation", () => {
  test("signed-out visitors are sent to sign-in and come back afterwards", async ({ page }) => {
    await page.goto("/some-org/settings/members");
    await expect(page).toHaveURL(/\/signin\?callbackUrl=%2Fsome-org%2Fsettings%2Fmembers/);
    await expect(page.getByRole("heading", { name: "Sign in" })).toBeVisible();
    await shot(page, "00-signin");
    const response = await page.request.get("/signin", { headers: { "x-request-id": "e2e-request-1" } });
    expect(response.headers()["x-request-id"]).toBe("e2e-request-1");
    expect((await page.request.get("/signin")).headers()["x-request-id"]).toMatch(/^[0-9a-f-]{36}$/);
  });

  test("sign up, organisation, project, API key, invitation, viewer, audit log", async ({ page, browser, signedUp }) => {
    const { user: owner } = signedUp;
    await expect(page.getByText("No projects yet")).toBeVisible();
    await shot(page, "01-personal-org-home");
    await expect(page.getByTestId("events-chart")).toBeVisible();
    await expect(page.getByText("No events yet")).toBeVisible();
    await expect(page.getByTestId("events-chart").locator("svg.recharts-surface")).toBeVisible();

    // A new organisation from the header, then a project in it.
    await page.getByRole("button", { name: "+ New organisation" }).click();
    await page.getByLabel("Organisation name").fill("Acme Observability");
    await page.getByRole("button", { name: "Create organisation" }).click();
    await expect(page.getByRole("heading", { name: "Acme Observability" })).toBeVisible();
    const orgSlug = new URL(page.url()).pathname.split("/")[1]!;
    await expect(page.getByLabel("Switch organisation")).toHaveValue(orgSlug);
    await page.getByLabel("Switch organisation").selectOption(signedUp.orgSlug);
    await expect(page).toHaveURL(new RegExp(`/${signedUp.orgSlug}$`));
    await expect(page.getByText("No projects yet")).toBeVisible();
    await page.getByLabel("Switch organisation").selectOption(orgSlug);
    await expect(page).toHaveURL(new RegExp(`/${orgSlug}$`));

    await page.getByRole("button", { name: "New project" }).first().click();
    await page.getByLabel("Project name").fill("Checkout API");
    await page.getByRole("button", { name: "Create project" }).click();
    await expect(page.getByRole("navigation", { name: "Breadcrumb" })).toContainText("Checkout API");
    await expect(page.getByText("Send your first event")).toBeVisible();
    const projectPath = new URL(page.url()).pathname;
    await shot(page, "02-project-home");

    // A key: the secret is shown once, copied, and afterwards only its prefix is listed.
    await page.getByRole("navigation", { name: "Project" }).getByRole("link", { name: "API keys" }).click();
    await expect(page.getByText("No API keys yet")).toBeVisible();
    await page.getByRole("button", { name: "Create key" }).first().click();
    await page.getByLabel("Key name").fill("production web");
    await page.getByLabel("Scope").selectOption("ingest");
    await page.getByRole("dialog").getByRole("button", { name: "Create key" }).click();
    const secretField = page.getByLabel("API key secret");
    await expect(secretField).toHaveValue(/^sl_ingest_/);
    const secret = await secretField.inputValue();
    await page.context().grantPermissions(["clipboard-read", "clipboard-write"]);
    await page.getByRole("dialog").getByRole("button", { name: "Copy" }).click();
    await expect(page.getByRole("dialog").getByText("Copied")).toBeVisible();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(secret);
    await shot(page, "03-key-secret-once");
    await page.getByRole("button", { name: "Done" }).click();

    const keys = page.getByRole("table", { name: "API keys" });
    const row = keys.getByRole("row", { name: /production web/ });
    await expect(row).toBeVisible();
    await expect(row).toContainText("ingest");
    await expect(page.getByText(secret)).toHaveCount(0);
    expect(await page.content()).not.toContain(secret);
    const prefix = (await row.locator("code").innerText()).replace("…", "");
    expect(secret.startsWith(prefix)).toBe(true);
    expect(prefix.length).toBeLessThan(secret.length);
    await shot(page, "04-keys-list");

    await row.getByRole("button", { name: "Revoke production web" }).click();
    await page.getByRole("dialog").getByRole("button", { name: "Revoke key" }).click();
    await expect(row).toContainText("Revoked");
    await expect(row.getByRole("button", { name: /Revoke/ })).toHaveCount(0);

    // Invite a viewer; the accept link is shown to copy.
    await page.getByRole("navigation", { name: "Organisation" }).getByRole("link", { name: "Members" }).click();
    const viewer = makeUser("viewer");
    await page.getByLabel("E-mail", { exact: true }).fill(viewer.email);
    await page.getByLabel("Role", { exact: true }).selectOption("viewer");
    await page.getByRole("button", { name: "Send invitation" }).click();
    const sent = page.getByTestId("invitation-sent");
    await expect(sent).toContainText("E-mail is not configured");
    const acceptUrl = await sent.getByLabel("Accept link").inputValue();
    expect(acceptUrl).toMatch(/\/invite\/[^/]+$/);
    await expect(page.getByRole("table", { name: "Pending invitations" })).toContainText(viewer.email);
    await shot(page, "05-members-invite");

    // The invitee, in their own browser, signs up through the link and joins as a viewer.
    const invitee = await browser.newContext();
    const inviteePage = await invitee.newPage();
    await inviteePage.goto(acceptUrl);
    await expect(inviteePage.getByRole("heading", { name: "Join Acme Observability" })).toBeVisible();
    await shot(inviteePage, "06-invite-preview");
    await fillSignUp(inviteePage, viewer, { emailPrefilled: true });
    await expect(inviteePage.getByRole("heading", { name: "Acme Observability" })).toBeVisible();
    await expect(inviteePage.getByRole("link", { name: /Checkout API/ })).toBeVisible();
    await expect(inviteePage.getByRole("button", { name: "New project" })).toHaveCount(0);
    await inviteePage.getByRole("link", { name: /Checkout API/ }).click();
    await expect(inviteePage.getByText("Send your first event")).toBeVisible();
    await inviteePage.goto(`${projectPath}/settings/keys`);
    await expect(inviteePage.getByText("API keys are hidden for your role")).toBeVisible();
    await expect(inviteePage.getByRole("button", { name: "Create key" })).toHaveCount(0);
    await inviteePage.getByRole("navigation", { name: "Organisation" }).getByRole("link", { name: "Members" }).click();
    const members = inviteePage.getByRole("table", { name: "Members" });
    await expect(members).toContainText(owner.email);
    await expect(members.getByRole("row", { name: new RegExp(viewer.email) })).toContainText("viewer");
    await expect(inviteePage.getByRole("combobox", { name: /Role of/ })).toHaveCount(0);
    await expect(inviteePage.getByRole("button", { name: "Send invitation" })).toHaveCount(0);
    await expect(inviteePage.getByRole("link", { name: "Audit log" })).toHaveCount(0);
    await shot(inviteePage, "07-viewer-members");
    await inviteePage.goto(`/${signedUp.orgSlug}`);
    await expect(inviteePage.getByRole("heading", { name: "Page not found" })).toBeVisible();
    await inviteePage.goto(`/${orgSlug}/no-such-project`);
    await expect(inviteePage.getByRole("heading", { name: "Page not found" })).toBeVisible();
    await invitee.close();

    // The owner's audit log lists what happened, newest first, and filters by action and actor.
    await page.getByRole("link", { name: "Audit log" }).click();
    const log = page.getByRole("table", { name: "Audit log" });
    // Account events (sign-up, sign-ins and their IPs) are the person's own, not the organisation's.
    await expect(log.getByText("user.signed_up", { exact: true })).toHaveCount(0);
    for (const action of ["invitation.sent", "invitation.accepted", "api_key.created", "api_key.revoked", "project.created"]) {
      await expect(log.getByText(action, { exact: true }).first()).toBeVisible();
    }
    const firstAction = await log.locator("tbody tr").first().locator("code").innerText();
    expect(firstAction).toBe("invitation.accepted");
    await shot(page, "08-audit-log");

    await page.getByLabel("Action").selectOption("api_key.created");
    await page.getByRole("button", { name: "Apply filters" }).click();
    await expect(log.locator("tbody tr")).toHaveCount(1);
    await page.getByRole("button", { name: "Clear" }).click();
    await page.getByLabel("Actor e-mail").fill(viewer.email);
    await page.getByRole("button", { name: "Apply filters" }).click();
    await expect(log.getByText("invitation.accepted", { exact: true })).toBeVisible();
    await expect(log.getByText("api_key.created", { exact: true })).toHaveCount(0);

    // Each person sees their own account activity from the user menu.
    await page.getByRole("button", { name: "User menu" }).click();
    await page.getByRole("menuitem", { name: "Your account" }).click();
    await expect(page.getByRole("heading", { name: "Your account" })).toBeVisible();
    const activity = page.getByRole("table", { name: "Sign-in activity" });
    await expect(activity.getByText("Account created")).toBeVisible();
    await shot(page, "09-account-activity");

    // Sign out from the user menu.
    await page.getByRole("button", { name: "User menu" }).click();
    await page.getByRole("menuitem", { name: "Sign out" }).click();
    await expect(page).toHaveURL(/\/signin/);
    await page.goto(`/${orgSlug}/settings/audit`);
    await expect(page).toHaveURL(/\/signin\?callbackUrl=/);

    // Signing back in returns to the page asked for; the sign-out was audited, on the owner's own account page.
    await page.getByLabel("E-mail").fill(owner.email);
    await page.getByLabel("Password").fill(owner.password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page).toHaveURL(new RegExp(`/${orgSlug}/settings/audit$`));
    await expect(page.getByLabel("Action").locator("option", { hasText: "user.signed_out" })).toHaveCount(0);
    await page.getByRole("button", { name: "User menu" }).click();
    await page.getByRole("menuitem", { name: "Your account" }).click();
    await expect(page.getByRole("table", { name: "Sign-in activity" }).getByText("Signed out")).toBeVisible();
  });

  test("sign-up shows field errors inline", async ({ page }) => {
    await page.goto("/signup");
    await fillSignUp(page, { name: "Weak", email: "not-an-email", password: "short" });
    await expect(page.getByText("Enter a valid e-mail address", { exact: false })).toBeVisible();
    await expect(page.getByText("Use at least 10 characters")).toBeVisible();
    await expect(page.getByLabel("Password")).toHaveAttribute("aria-invalid", "true");
    await expect(page.getByRole("button", { name: "Create account" })).toBeEnabled();
    await shot(page, "09-signup-errors");
  });

  test("repeated failed sign-ins for one e-mail are throttled", async ({ page, signedUp }) => {
    const { user } = signedUp;
    await page.context().clearCookies();
    await page.goto("/signin");
    await page.getByLabel("E-mail").fill(user.email);
    for (let attempt = 1; ; attempt++) {
      await page.getByLabel("Password").fill(`wrong-password-${attempt}`);
      await page.getByRole("button", { name: "Sign in" }).click();
      const alert = page.locator("form").getByRole("alert");
      await expect(alert).toHaveText(/Wrong e-mail or password|Too many attempts/);
      if (/Too many attempts/.test(await alert.innerText())) break;
      expect(attempt).toBeLessThan(10);
      await expect(page.getByRole("button", { name: "Sign in" })).toBeEnabled();
    }
    await expect(page.locator("form").getByRole("alert")).toHaveText(/Too many attempts, try again in \d+ s/);
    await shot(page, "10-signin-throttled");

    // Even the right password is refused while the e-mail is blocked.
    await page.getByLabel("Password").fill(user.password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page.locator("form").getByRole("alert")).toHaveText(/Too many attempts/);
  });

  test("30 parallel wrong passwords for one e-mail: exactly 5 reach the password check, 25 are answered 429", async ({ signedUp, playwright, baseURL }) => {
    const api = await playwright.request.newContext({ baseURL });
    const { csrfToken } = (await (await api.get("/api/auth/csrf")).json()) as { csrfToken: string };
    const attempts = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        api.post("/api/auth/callback/credentials", { form: { email: signedUp.user.email, password: `guess-${i}`, csrfToken, json: "true" }, maxRedirects: 0 }),
      ),
    );
    expect(attempts.filter((r) => r.status() === 429)).toHaveLength(25);
    const db = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await db.connect();
    const { rows } = await db.query<{ n: string }>(`SELECT count(*) AS n FROM audit_log WHERE action = 'user.sign_in_failed' AND actor_email = $1`, [
      signedUp.user.email,
    ]);
    await db.end();
    await api.dispose();
    expect(Number(rows[0]!.n)).toBe(5);
  });
});
