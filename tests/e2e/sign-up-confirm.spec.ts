import { startFakeResend } from "../fakes/resend";
import { startPortalInstance } from "./alerts/instance";
import { confirmSignUpByEmail, expect, fillSignUp, makeUser, shot, test } from "./fixtures";

test.describe("sign-up on an instance that sends e-mail", () => {
  test("the account is created from the e-mailed link; signing up with a registered address looks the same and tells only its owner", async ({ page }) => {
    const resend = await startFakeResend();
    const portal = await startPortalInstance({ RESEND_API_KEY: "re_test_e2e", RESEND_BASE_URL: resend.baseUrl });
    try {
      const user = makeUser("confirm");
      await page.goto(`${portal.baseUrl}/signup`);
      await fillSignUp(page, user);
      await expect(page.getByRole("status")).toContainText(user.email);
      const link = await confirmSignUpByEmail(page, resend, user);
      expect(resend.to(user.email)).toHaveLength(1);
      await shot(page, "sign-up-confirmed");

      // The link works once.
      await page.context().clearCookies();
      await page.goto(link);
      await page.getByRole("button", { name: "Create my account" }).click();
      await expect(page.getByText(/expired or was already used/)).toBeVisible();

      // The same address again: the same answer on screen; its owner gets "you already have an account".
      await page.goto(`${portal.baseUrl}/signup`);
      await fillSignUp(page, { ...user, name: "Someone Else" });
      await expect(page.getByRole("status")).toContainText("Check your inbox");
      await expect
        .poll(() => resend.to(user.email).map((m) => m.body.subject))
        .toEqual([expect.stringMatching(/Confirm your e-mail/), "You already have a Sightline account"]);
    } finally {
      await portal.close();
      await resend.close();
    }
  });
});
