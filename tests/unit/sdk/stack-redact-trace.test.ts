import { describe, expect, it } from "vitest";
import { createRedactor, exceptionValues, formatTraceparent, parseStack, parseTraceparent, REDACTED } from "@sightline/node";

describe("stack parsing", () => {
  const stack = [
    "TypeError: x is undefined",
    "    at Object.handler (/app/src/routes/items.ts:42:13)",
    "    at async Promise.all (index 0)",
    "    at Layer.handle [as handle_request] (/app/node_modules/express/lib/router/layer.js:95:5)",
    "    at /app/src/server.ts:10:7",
    "    at new Store (file:///app/src/store.mjs:3:9)",
    "    at process.processTicksAndRejections (node:internal/process/task_queues:95:5)",
  ].join("\n");

  it("gives frames oldest first, relative paths, in_app false under node_modules and node:", () => {
    const frames = parseStack(stack, "/app");
    expect(frames.map((f) => [f.function, f.filename, f.lineno, f.in_app])).toEqual([
      ["process.processTicksAndRejections", "node:internal/process/task_queues", 95, false],
      ["new Store", "src/store.mjs", 3, true],
      [undefined, "src/server.ts", 10, true],
      ["Layer.handle [as handle_request]", "node_modules/express/lib/router/layer.js", 95, false],
      ["Promise.all", "index 0", undefined, false],
      ["Object.handler", "src/routes/items.ts", 42, true],
    ]);
    const items = frames.at(-1)!;
    expect(items).toMatchObject({
      function: "Object.handler",
      filename: "src/routes/items.ts",
      abs_path: "/app/src/routes/items.ts",
      lineno: 42,
      colno: 13,
      in_app: true,
    });
    const express = frames.find((f) => f.filename?.includes("express"))!;
    expect(express).toMatchObject({ in_app: false, module: "express" });
    expect(frames.find((f) => f.filename === "src/store.mjs")).toMatchObject({ function: "new Store", in_app: true });
    expect(frames[0]).toMatchObject({ in_app: false, filename: "node:internal/process/task_queues" });
  });

  it("follows the cause chain, outermost last, with the mechanism on it", () => {
    const root = new RangeError("db down");
    const outer = new Error("request failed", { cause: root });
    const values = exceptionValues(outer, { type: "express", handled: false });
    expect(values.map((v) => [v.type, v.value])).toEqual([
      ["RangeError", "db down"],
      ["Error", "request failed"],
    ]);
    expect(values[1]!.mechanism).toEqual({ type: "express", handled: false });
    expect(values[1]!.stacktrace!.frames.at(-1)!.in_app).toBe(true);
    expect(exceptionValues("just a string")[0]).toMatchObject({ type: "NonError", value: "just a string" });
  });
});

describe("redaction", () => {
  it("replaces values under secret-looking keys at any depth, and secret-shaped text", () => {
    const r = createRedactor();
    const input = {
      headers: { authorization: "Bearer abc.def.ghi", "x-api-key": "k", accept: "json", cookie: "s=1" },
      user: { name: "ann", password: "p", apiToken: "t", nested: [{ client_secret: "c" }] },
      note: "key sk-proj-abcdefghijklmnopqrstuvwx and card 4111-1111-1111-1111, not 1234567890123",
      jwt: "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U",
    };
    const out = r.value(input);
    expect(out.headers).toEqual({ authorization: REDACTED, "x-api-key": REDACTED, accept: "json", cookie: REDACTED });
    expect(out.user).toEqual({ name: "ann", password: REDACTED, apiToken: REDACTED, nested: [{ client_secret: REDACTED }] });
    expect(out.note).toBe(`key ${REDACTED} and card ${REDACTED}, not 1234567890123`);
    expect(out.jwt).toBe(REDACTED);
    expect(input.user.password).toBe("p");
    // The shortest values the rules match (the pre-tests skip anything shorter than 13 characters).
    expect(r.text("4222222222222")).toBe(REDACTED);
    expect(r.text("Bearer abcdefgh")).toBe(REDACTED);
    expect(r.text("xoxb-abcdefghij")).toBe(REDACTED);
    expect(r.text("4222 2222 2222 2")).toBe(REDACTED);
    const same = { a: 1, b: "plain" };
    expect(r.value(same)).toBe(same);
  });

  it("adds key names and dotted paths from options", () => {
    const r = createRedactor({ keys: ["ssn"], paths: ["user.email", "*.phone"] });
    expect(r.value({ ssn: "1", user: { email: "a@b", name: "n" }, contact: { phone: "555" }, email: "kept" })).toEqual({
      ssn: REDACTED,
      user: { email: REDACTED, name: "n" },
      contact: { phone: REDACTED },
      email: "kept",
    });
  });
});

describe("W3C traceparent", () => {
  it("parses valid headers and refuses malformed, version ff and all-zero ids", () => {
    expect(parseTraceparent("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")).toEqual({
      traceId: "4bf92f3577b34da6a3ce929d0e0e4736",
      parentSpanId: "00f067aa0ba902b7",
      sampled: true,
    });
    expect(parseTraceparent("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00")!.sampled).toBe(false);
    expect(parseTraceparent("00-00000000000000000000000000000000-00f067aa0ba902b7-01")).toBeNull();
    expect(parseTraceparent("00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01")).toBeNull();
    expect(parseTraceparent("ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")).toBeNull();
    expect(parseTraceparent("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7")).toBeNull();
    expect(parseTraceparent("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-extra")).toBeNull();
    expect(parseTraceparent("01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-future")).not.toBeNull();
    expect(formatTraceparent("4bf92f3577b34da6a3ce929d0e0e4736", "00f067aa0ba902b7")).toBe("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");
  });
});

describe("redaction parity with the portal", () => {
  it("the SDK's default sensitive keys and card rule decide as the portal's do (the SDK cannot import the portal)", async () => {
    const portal = await import("@/server/ingest/redact");
    const sdk = createRedactor();
    const keys = [
      "authorization",
      "Proxy-Authorization",
      "cookie",
      "set-cookie",
      "x-api-key",
      "apiKey",
      "api_key",
      "token",
      "accessToken",
      "refresh_token",
      "password",
      "newPassword",
      "passwd",
      "pwd",
      "secret",
      "clientSecret",
      "client_secret",
      "credentials",
      "sessionId",
      "privateKey",
      "x-csrf-token",
      "signature",
      "x-amz-security-token",
      "user",
      "email",
      "name",
      "tokens_used",
      "status",
      "path",
      "author",
    ];
    for (const key of keys) expect(sdk.isSensitiveKey(key), key).toBe(portal.isDefaultSensitiveKey(key));
    for (const text of ["card 4111 1111 1111 1111", "4012-8888-8888-1881", "order 1234567890123", "no digits"]) {
      expect(sdk.text(text), text).toBe(portal.redactCardNumbers(text));
    }
  });
});
