import { describe, expect, it } from "vitest";
import { isPrivateAddress } from "@/server/alerts/addresses";
import { newWebhookSecret, signWebhook, verifyWebhook } from "@/server/alerts/signing";
import { backoffMs } from "@/server/alerts/backoff";

describe("SSRF address classes", () => {
  it.each([
    "127.0.0.1",
    "10.0.0.1",
    "172.16.5.4",
    "192.168.1.1",
    "169.254.169.254",
    "100.64.0.1",
    "0.0.0.0",
    "::1",
    "::",
    "fe80::1",
    "fd12::1",
    "::ffff:127.0.0.1",
    "224.0.0.1",
  ])("%s is private", (ip) => expect(isPrivateAddress(ip)).toBe(true));
  it.each(["93.184.215.14", "8.8.8.8", "172.32.0.1", "2606:4700::1111", "::ffff:8.8.8.8"])("%s is public", (ip) => expect(isPrivateAddress(ip)).toBe(false));
  // How the URL parser spells them (`new URL("http://[::ffff:127.0.0.1]/").hostname` is `[::ffff:7f00:1]`), and other IPv6 forms carrying an IPv4 address.
  it.each([
    "::ffff:7f00:1",
    "::ffff:a00:1",
    "::ffff:a9fe:a9fe",
    "0:0:0:0:0:ffff:7f00:1",
    "::7f00:1",
    "::ffff:0:7f00:1",
    "64:ff9b::a00:1",
    "2002:c0a8:101::1",
    "2001:db8::1",
    "2001::1",
    "fe80::1%eth0",
    "not-an-ip",
  ])("%s is private", (ip) => expect(isPrivateAddress(ip)).toBe(true));
  it.each(["::ffff:808:808", "64:ff9b::808:808", "2002:808:808::1", "2001:4860:4860::8888"])("%s is public", (ip) => expect(isPrivateAddress(ip)).toBe(false));
});

describe("Standard Webhooks signatures", () => {
  // The Standard Webhooks reference test vector.
  it("matches the specification's example", () => {
    const secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    const body = '{"test": 2432232314}';
    expect(signWebhook(secret, "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, body)).toBe("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
  });
  it("rejects a tampered body, another secret, and a stale timestamp", () => {
    const secret = newWebhookSecret();
    const now = 1_800_000_000;
    const headers = { id: "msg_1", timestamp: String(now), signature: signWebhook(secret, "msg_1", now, '{"a":1}') };
    expect(verifyWebhook(secret, headers, '{"a":1}', now)).toEqual({ ok: true });
    expect(verifyWebhook(secret, headers, '{"a":2}', now)).toEqual({ ok: false, reason: "signature mismatch" });
    expect(verifyWebhook(newWebhookSecret(), headers, '{"a":1}', now)).toEqual({ ok: false, reason: "signature mismatch" });
    expect(verifyWebhook(secret, headers, '{"a":1}', now + 301)).toEqual({ ok: false, reason: "timestamp outside tolerance" });
  });
});

describe("retry backoff", () => {
  it("doubles per attempt with 50–100 % jitter, capped at an hour", () => {
    expect([1, 2, 3, 4].map((a) => backoffMs(a, 1))).toEqual([30_000, 60_000, 120_000, 240_000]);
    expect(backoffMs(3, 0)).toBe(60_000);
    expect(backoffMs(20, 1)).toBe(3_600_000);
  });
});
