import { describe, expect, it } from "vitest";
import { passwordWeakness, ZSignUp } from "@/server/accounts/validation";
import { ZEmail } from "@/server/auth/email";
import { baseSlug, pickFreeSlug, RESERVED_ORG_SLUGS, slugify, ZSlug } from "@/server/tenancy/slug";

describe("slugs", () => {
  it.each([
    ["Acme Inc.", "acme-inc"],
    ["  Ünïcödé  Straße ", "unicode-strasse"],
    ["Ada's Team", "adas-team"],
    ["--a--b--", "a-b"],
    ["x".repeat(60), "x".repeat(48)],
  ])("slugify(%j) = %j", (name, slug) => {
    expect(slugify(name)).toBe(slug);
    if (slug.length >= 3) expect(ZSlug.safeParse(slug).success).toBe(true);
  });

  it("pads too-short results so they still pass the slug rule", () => {
    expect(baseSlug("☕", "org")).toMatch(/^org-[0-9a-f]{6}$/);
    expect(baseSlug("ab", "org")).toMatch(/^ab-[0-9a-f]{6}$/);
    expect(ZSlug.safeParse(baseSlug("ab", "org")).success).toBe(true);
  });

  it("picks the first free numbered slug, skipping reserved words, within 48 characters", () => {
    expect(pickFreeSlug("acme", new Set(), RESERVED_ORG_SLUGS)).toBe("acme");
    expect(pickFreeSlug("acme", new Set(["acme", "acme-2"]), RESERVED_ORG_SLUGS)).toBe("acme-3");
    expect(pickFreeSlug("signin", new Set(), RESERVED_ORG_SLUGS)).toBe("signin-2");
    const long = "y".repeat(48);
    const next = pickFreeSlug(long, new Set([long]), RESERVED_ORG_SLUGS);
    expect(next).toBe(`${"y".repeat(46)}-2`);
    expect(next.length).toBeLessThanOrEqual(48);
  });

  it("rejects malformed explicit slugs", () => {
    for (const bad of ["ab", "Upper", "with space", "-lead", "trail-", "dou--ble", "x".repeat(49)]) {
      expect(ZSlug.safeParse(bad).success, bad).toBe(false);
    }
  });
});

describe("sign-up rules", () => {
  it("normalises e-mails and rejects malformed ones", () => {
    expect(ZEmail.parse("  Ada@Example.COM ")).toBe("ada@example.com");
    for (const bad of ["", "ada", "ada@", "@example.com", "a b@example.com", `${"a".repeat(250)}@x.io`]) {
      expect(ZEmail.safeParse(bad).success, bad).toBe(false);
    }
  });

  it.each([
    ["short1A", /at least 10/],
    ["alllowercaseletters", /two kinds/],
    ["1234567890123", /two kinds/],
    ["ada@example.com", /e-mail/],
  ])("calls %j weak", (password, reason) => {
    expect(passwordWeakness(password, "ada@example.com")).toMatch(reason);
  });

  it("accepts a long mixed password and reports the weakness on the password field", () => {
    expect(passwordWeakness("correct horse 42", "ada@example.com")).toBeNull();
    const result = ZSignUp.safeParse({ email: "ada@example.com", password: "short", name: "Ada" });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.path).toEqual(["password"]);
  });
});
