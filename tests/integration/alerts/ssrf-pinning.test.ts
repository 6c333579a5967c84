import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, describe, expect, it } from "vitest";
import { startAlertFakes } from "./fixtures";

// Loopback fakes need private webhooks allowed; the guard's policy is exercised in ssrf.test.ts.
const fakes = await startAlertFakes();
const { deliverNotification } = await import("@/server/alerts/notify");
const { testOutcome } = await import("@/server/alerts/channels");
const { vetWebhookUrl } = await import("@/server/alerts/ssrf");

const received: Record<string, number> = { checked: 0, rebound: 0 };
function listen(host: string, port: number, name: string) {
  const server = http.createServer((req, res) => {
    received[name]!++;
    req.resume().on("end", () => res.writeHead(200).end("ok"));
  });
  return new Promise<http.Server>((resolve) => server.listen(port, host, () => resolve(server)));
}

// The same port on two loopback addresses: 127.0.0.2 is what the guard checked; 127.0.0.1 is where
// the system resolver sends "localhost", as a rebinding DNS server would answer the second lookup.
const checked = await listen("127.0.0.2", 0, "checked");
const port = (checked.address() as AddressInfo).port;
const rebound = await listen("127.0.0.1", port, "rebound");
afterAll(async () => {
  await Promise.all([checked, rebound].map((s) => new Promise((resolve) => s.close(resolve))));
  await fakes.close();
});

const notification = {
  kind: "test" as const,
  title: "t",
  text: "t",
  severity: "info" as const,
  project: { id: "p", name: "p" },
  rule: null,
  incidentId: null,
  dedupKey: null,
  value: null,
  url: null,
  items: [],
};
const channel = (url: string) => ({ id: "c", orgId: "o", config: { kind: "slack" as const, url }, secret: null });

describe("webhook deliveries connect to the address the guard checked (DNS rebinding)", () => {
  it("a second resolution answering differently is never used", async () => {
    const firstAnswer = async () => [{ address: "127.0.0.2", family: 4 }];
    const result = await deliverNotification(channel(`http://localhost:${port}/hook`), notification, undefined, { resolve: firstAnswer });
    expect(result).toEqual({ ok: true });
    expect(received).toEqual({ checked: 1, rebound: 0 });
  });

  it("the guard refuses when any answer is private, and a host that does not resolve", async () => {
    await expect(
      vetWebhookUrl("http://hooks.example.test/x", {
        allowPrivate: false,
        resolve: async () => [
          { address: "93.184.215.14", family: 4 },
          { address: "10.0.0.7", family: 4 },
        ],
      }),
    ).rejects.toThrow(/loopback, link-local or private/);
    await expect(vetWebhookUrl("http://hooks.example.test/x", { allowPrivate: false, resolve: async () => [] })).rejects.toThrow(/does not resolve/);
  });
});

describe("send test notification answers with a category, never the raw network error", () => {
  it("a closed port is 'no connection', without its address; an HTTP answer keeps its status", async () => {
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const closedPort = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const result = await deliverNotification(channel(`http://127.0.0.1:${closedPort}/x`), notification);
    expect(result).toMatchObject({ ok: false, category: "connection" });
    const answer = testOutcome(result);
    expect(answer).toEqual({ delivered: false, outcome: "failed", category: "connection", error: "no connection could be made to the endpoint" });
    expect(JSON.stringify(answer)).not.toContain(String(closedPort));
    expect(testOutcome({ ok: false, error: "refused: 10.0.0.7 is private", category: "refused", permanent: true })).toMatchObject({ outcome: "refused" });
  });
});
