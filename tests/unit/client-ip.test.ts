import { describe, expect, it } from "vitest";
import { clientIp } from "@/server/auth/client-ip";

describe("clientIp (X-Forwarded-For behind TRUSTED_PROXIES)", () => {
  it("ignores the header entirely when no proxy is trusted: a client could write anything", () => {
    expect(clientIp("198.51.100.4", 0)).toBeNull();
  });
  it("takes the address the outermost trusted proxy saw, never what the client prepended", () => {
    expect(clientIp("6.6.6.6, 198.51.100.4", 1)).toBe("198.51.100.4");
    expect(clientIp("6.6.6.6, 198.51.100.4, 10.0.0.1", 2)).toBe("198.51.100.4");
    expect(clientIp("198.51.100.4", 2)).toBe("198.51.100.4");
    expect(clientIp("2001:db8::1", 1)).toBe("2001:db8::1");
  });
  it("refuses what is not an IP address", () => {
    expect(clientIp("not-an-ip", 1)).toBeNull();
    expect(clientIp("", 1)).toBeNull();
    expect(clientIp(null, 1)).toBeNull();
  });
});
