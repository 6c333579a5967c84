import { describe, expect, it } from "vitest";
import { contextFromHeaders } from "@/server/api/trpc";

describe("contextFromHeaders", () => {
  it("derives the public origin from x-forwarded-proto/host, else host over http", () => {
    const proxied = contextFromHeaders(
      new Headers({
        host: "internal:3000",
        "x-forwarded-proto": "https",
        "x-forwarded-host": "sightline.example.com",
        "x-forwarded-for": "198.51.100.4, 10.0.0.1",
        "user-agent": "ua",
      }),
      null,
      "r1",
    );
    // One trusted proxy (TRUSTED_PROXIES=1 in tests): the address it appended, not what the client claimed before it.
    expect(proxied).toMatchObject({ origin: "https://sightline.example.com", ip: "10.0.0.1", userAgent: "ua", requestId: "r1" });
    expect(contextFromHeaders(new Headers({ host: "localhost:3000" }), null, "r2").origin).toBe("http://localhost:3000");
    expect(contextFromHeaders(new Headers(), null, "r3").origin).toBeNull();
  });
});
