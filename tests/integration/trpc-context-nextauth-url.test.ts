import { describe, expect, it } from "vitest";

// NEXTAUTH_URL is read once by env.ts, so it is set before the server modules load in this file.
process.env.NEXTAUTH_URL = "https://portal.example.org/";
const { contextFromHeaders } = await import("@/server/api/trpc");

describe("contextFromHeaders with NEXTAUTH_URL", () => {
  it("uses NEXTAUTH_URL's origin over the request's host", () => {
    const ctx = contextFromHeaders(new Headers({ host: "evil.example", "x-forwarded-proto": "http" }), null, "r");
    expect(ctx.origin).toBe("https://portal.example.org");
  });
});
