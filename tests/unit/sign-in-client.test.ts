import { describe, expect, it } from "vitest";
import { safeCallbackUrl, signInErrorMessage } from "@/components/auth/sign-in";

describe("safeCallbackUrl", () => {
  it.each([
    ["/acme/settings/members?tab=1", "/acme/settings/members?tab=1"],
    ["https://evil.example/phish", "/"],
    ["//evil.example/phish", "/"],
    ["/\\evil.example/phish", "/"],
    ["javascript:alert(1)", "/"],
    ["/\t/evil.example", "/"], // `callbackUrl=/%09/evil.example` once it is decoded
    ["/\n/evil.example/phish", "/"],
    ["/\r\n\\evil.example", "/"],
    ["/ /evil.example", "/%20/evil.example"],
    ["/acme#section", "/acme#section"],
    [null, "/"],
    ["", "/"],
  ])("%s → %s", (input, expected) => {
    expect(safeCallbackUrl(input)).toBe(expected);
  });
});

describe("signInErrorMessage", () => {
  it("says how long to wait when throttled, and never which of e-mail or password was wrong", () => {
    expect(signInErrorMessage({ ok: false, error: "TooManyAttempts", retryAfter: 42 })).toBe("Too many attempts, try again in 42 s");
    expect(signInErrorMessage({ ok: false, error: "CredentialsSignin" })).toBe("Wrong e-mail or password");
    expect(signInErrorMessage({ ok: true })).toBeNull();
  });
});
