import { afterAll, describe, expect, it } from "vitest";
import { startFakeResend } from "../fakes/resend";

// Resend is configured before any server module (and so env.ts) is loaded in this file.
const fake = await startFakeResend();
process.env.RESEND_API_KEY = "re_test_0123456789";
process.env.RESEND_BASE_URL = fake.baseUrl;
process.env.EMAIL_FROM = "Sightline <noreply@sightline.test>";
const { callerFor, makeUser, orgWithRoles } = await import("./tenancy-fixtures");
const { sendEmail } = await import("@/server/email/send");

afterAll(() => fake.close());

describe("invitation e-mail through Resend", () => {
  it("sends the invitee an e-mail containing the accept link, and reports emailed: true", async () => {
    const { org, admin } = await orgWithRoles();
    const invitee = await makeUser("mailed");
    const created = await callerFor(admin, "http://portal.test:3000").invitation.create({ orgSlug: org.slug, email: invitee.email, role: "member" });
    expect(created.emailed).toBe(true);
    const [mail, ...rest] = fake.to(invitee.email);
    expect(rest).toHaveLength(0);
    expect(mail!.authorization).toBe("Bearer re_test_0123456789");
    expect(mail!.body.from).toBe("Sightline <noreply@sightline.test>");
    expect(mail!.body.subject).toContain(org.name);
    expect(mail!.body.text).toContain(created.acceptUrl);
    expect(mail!.body.html).toContain(created.acceptUrl);
    expect(created.acceptUrl).toMatch(/^http:\/\/portal\.test:3000\/invite\//);
    const token = created.acceptUrl.split("/invite/")[1]!;
    expect(await callerFor(invitee).invitation.accept({ token })).toEqual({ orgSlug: org.slug });
  });

  it("reports a failed send without throwing", async () => {
    await fake.close();
    const result = await sendEmail({ to: "nobody@example.test", subject: "s", html: "<p>h</p>", text: "t" });
    expect(result).toEqual({ sent: false, reason: "failed" });
  });
});
