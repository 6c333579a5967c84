import { describe, expect, it } from "vitest";
import { computeFingerprint, frameFile, groupIdFor, normalizeFunctionName } from "@/server/errors/fingerprint";
import { normalizeMessage } from "@/server/errors/normalize-message";

const ex = (frames: { filename?: string; module?: string; function?: string; lineno?: number; in_app?: boolean }[], value = "boom", type = "Error") => ({
  exception: { values: [{ type, value, stacktrace: { frames } }] },
});

describe("message templating", () => {
  it.each([
    ["User 123 not found", "User <int> not found"],
    ["mail to ann@example.com failed", "mail to <email> failed"],
    ["GET https://api.example.com/v1/users?id=3 timed out", "GET <url> timed out"],
    ["row 2f1c9a7e-8d1b-4c1e-9a55-0b7c1f2e3d4a missing", "row <uuid> missing"],
    ["commit 3f786850e387550fdab836ed7e6dc881de23001b", "commit <sha1>"],
    ["etag d41d8cd98f00b204e9800998ecf8427e", "etag <md5>"],
    ["connect 10.0.0.12:5432 refused", "connect <ip> refused"],
    ["at 2026-11-27T03:00:00Z took 12ms then 1.5s", "at <date> took <duration> then <duration>"],
    ["pointer 0x7ffde4a1", "pointer <hex>"],
    ["build a1b2c3d deployed", "build <sha> deployed"],
    ["ratio 0.75 exceeded", "ratio <float> exceeded"],
    ["trace 00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01", "trace <traceparent>"],
    ["host db1.internal unreachable", "host <host> unreachable"],
  ])("%s", (input, expected) => {
    expect(normalizeMessage(input)).toBe(expected);
  });
});

describe("frames", () => {
  it("normalises function names", () => {
    expect(normalizeFunctionName("Obj.foo")).toBe("foo");
    expect(normalizeFunctionName("async UserService.load")).toBe("load");
    expect(normalizeFunctionName("Object.<anonymous>")).toBe("?");
    expect(normalizeFunctionName("Foo.bar [as baz]")).toBe("bar");
    expect(normalizeFunctionName(undefined)).toBe("?");
  });
  it("uses a lower-cased basename without query or build hash", () => {
    expect(frameFile({ filename: "/srv/App/Dist/Main.3f2a9c1b.js?v=2" })).toBe("main.<hash>.js");
    expect(frameFile({ abs_path: "C:\\src\\Users.ts" })).toBe("users.ts");
  });
});

describe("fingerprints", () => {
  it("ignores line numbers and build hashes (two deploys group together)", () => {
    const a = computeFingerprint(ex([{ filename: "/a/main.1111aaaa.js", function: "Router.handle", lineno: 10, in_app: true }]));
    const b = computeFingerprint(ex([{ filename: "/b/main.2222bbbb.js", function: "Router.handle", lineno: 99, in_app: true }], "other text"));
    expect(a.hash).toBe(b.hash);
  });
  it("separates different call paths and types", () => {
    const a = computeFingerprint(ex([{ filename: "a.ts", function: "one", in_app: true }]));
    const b = computeFingerprint(ex([{ filename: "a.ts", function: "two", in_app: true }]));
    const c = computeFingerprint(ex([{ filename: "a.ts", function: "one", in_app: true }], "boom", "RangeError"));
    expect(new Set([a.hash, b.hash, c.hash]).size).toBe(3);
  });
  it("prefers in-app frames: library frames do not split groups", () => {
    const a = computeFingerprint(
      ex([
        { filename: "node_modules/lib/x.js", function: "a", in_app: false },
        { filename: "app.ts", function: "main", in_app: true },
      ]),
    );
    const b = computeFingerprint(
      ex([
        { filename: "node_modules/lib/y.js", function: "b", in_app: false },
        { filename: "app.ts", function: "main", in_app: true },
      ]),
    );
    expect(a.hash).toBe(b.hash);
    expect(a.culprit).toBe("app.ts in main");
  });
  it("collapses recursion", () => {
    const f = { filename: "r.ts", function: "walk", lineno: 3, in_app: true };
    expect(computeFingerprint(ex([f, f, f])).hash).toBe(computeFingerprint(ex([f])).hash);
  });
  it("uses the value only when no frame contributes, templated", () => {
    const a = computeFingerprint(ex([], "id 1 missing"));
    const b = computeFingerprint(ex([], "id 2 missing"));
    const c = computeFingerprint(ex([], "other"));
    expect(a.hash).toBe(b.hash);
    expect(a.hash).not.toBe(c.hash);
  });
  it("hashes each exception of a chain", () => {
    const chain = (causeType: string) => ({
      exception: {
        values: [
          { type: causeType, value: "x", stacktrace: { frames: [{ filename: "db.ts", function: "q", in_app: true }] } },
          { type: "Error", value: "wrapped", stacktrace: { frames: [{ filename: "svc.ts", function: "run", in_app: true }] } },
        ],
      },
    });
    expect(computeFingerprint(chain("PgError")).hash).not.toBe(computeFingerprint(chain("TimeoutError")).hash);
    expect(computeFingerprint(chain("PgError")).title).toBe("Error: wrapped");
  });
  it("explicit fingerprints win; {{ default }} expands", () => {
    const custom = computeFingerprint({ ...ex([{ filename: "a.ts", function: "x", in_app: true }]), fingerprint: ["db-down"] });
    const custom2 = computeFingerprint({ message: "anything", fingerprint: ["db-down"] });
    expect(custom.hash).toBe(custom2.hash);
    const withDefault = computeFingerprint({ message: "m", fingerprint: ["{{ default }}", "eu"] });
    expect(withDefault.parts).toEqual(["message:m", "custom:eu"]);
  });
  it("derives a stable group id per project", () => {
    const id = groupIdFor("p1", "abc");
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(groupIdFor("p1", "abc")).toBe(id);
    expect(groupIdFor("p2", "abc")).not.toBe(id);
  });
});
