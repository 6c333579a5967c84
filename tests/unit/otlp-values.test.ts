import { describe, expect, it } from "vitest";
import { genAiTokens } from "@/server/ingest/otlp/genai";
import { severityToLevel } from "@/server/ingest/otlp/map-logs";
import { parseStacktrace } from "@/server/ingest/otlp/stacktrace";
import { anyValueToJs, nanosToEpochMs, normaliseId, TOO_DEEP } from "@/server/ingest/otlp/values";

describe("parseStacktrace", () => {
  it("reads Python tracebacks oldest call first", () => {
    const frames = parseStacktrace(`Traceback (most recent call last):
  File "/app/api/views.py", line 41, in checkout
    total = price(cart)
  File "/usr/lib/python3.12/site-packages/pricing/core.py", line 9, in price
    return sum(i.cost for i in cart)
TypeError: unsupported operand type(s)`);
    expect(frames.map((f) => [f.function, f.filename, f.lineno, f.in_app])).toEqual([
      ["checkout", "views.py", 41, true],
      ["price", "core.py", 9, false],
    ]);
  });

  it("reads JVM stack traces and marks JDK frames as not in app", () => {
    const frames = parseStacktrace(`java.lang.IllegalStateException: closed
\tat com.acme.shop.Cart.total(Cart.java:88)
\tat java.base/java.util.ArrayList.forEach(ArrayList.java:1596)
\tat com.acme.shop.Checkout.run(Checkout.java:12)`);
    expect(frames.map((f) => [f.module, f.function, f.lineno])).toEqual([
      ["com.acme.shop.Checkout", "run", 12],
      ["java.base/java.util.ArrayList", "forEach", 1596],
      ["com.acme.shop.Cart", "total", 88],
    ]);
    expect(frames[0]!.in_app).toBe(true);
  });

  it("reads Go panics and Firefox-style JavaScript", () => {
    const go = parseStacktrace(`goroutine 1 [running]:
main.charge(0x0)
\t/src/shop/pay.go:23 +0x1d
main.main()
\t/src/shop/main.go:9 +0x25`);
    expect(go.map((f) => [f.function, f.filename, f.lineno])).toEqual([
      ["main.main", "main.go", 9],
      ["main.charge", "pay.go", 23],
    ]);
    const gecko = parseStacktrace(`render@https://shop.example/app.js:10:5\n@https://shop.example/app.js:2:1`);
    expect(gecko.map((f) => [f.function, f.lineno, f.colno])).toEqual([
      [undefined, 2, 1],
      ["render", 10, 5],
    ]);
  });

  it("returns no frames for text without any", () => {
    expect(parseStacktrace("just a message")).toEqual([]);
  });
});

describe("OTLP values", () => {
  it("maps severity numbers, then severity text, then defaults to info", () => {
    expect([1, 4, 5, 9, 13, 17, 21, 24].map((n) => severityToLevel(n, "ignored"))).toEqual([
      "trace",
      "trace",
      "debug",
      "info",
      "warn",
      "error",
      "fatal",
      "fatal",
    ]);
    expect(severityToLevel(0, "WARNING")).toBe("warn");
    expect(severityToLevel(undefined, "Critical")).toBe("fatal");
    expect(severityToLevel("SEVERITY_NUMBER_ERROR2", null)).toBe("error");
    expect(severityToLevel(undefined, "whatever")).toBe("info");
  });

  it("normalises ids from hex or base64, refusing wrong lengths and all-zero ids", () => {
    expect(normaliseId("5B8EFFF798038103D269B633813FC60C", 16)).toBe("5b8efff798038103d269b633813fc60c");
    expect(normaliseId(Buffer.from("0102030405060708", "hex").toString("base64"), 8)).toBe("0102030405060708");
    expect(normaliseId("00000000000000000000000000000000", 16)).toBeUndefined();
    expect(normaliseId("abc", 8)).toBeUndefined();
    expect(normaliseId(undefined, 8)).toBeUndefined();
  });

  it("keeps nanosecond times exact to the microsecond and 64-bit ints exact", () => {
    expect(nanosToEpochMs("1764201600123456789")).toBeCloseTo(1764201600123.4568, 3);
    expect(nanosToEpochMs("0")).toBeUndefined();
    expect(anyValueToJs({ intValue: "9007199254740993" })).toBe("9007199254740993");
    expect(anyValueToJs({ intValue: "42" })).toBe(42);
    expect(anyValueToJs({ doubleValue: "NaN" })).toBeNull();
    expect(anyValueToJs({ boolValue: false })).toBe(false);
  });

  it("stops converting nested values at the depth limit instead of recursing without end", () => {
    let value: unknown = { stringValue: "bottom" };
    for (let i = 0; i < 10_000; i++) value = { kvlistValue: { values: [{ key: "k", value }] } };
    let out = anyValueToJs(value) as unknown;
    let depth = 0;
    while (out && typeof out === "object") {
      out = (out as Record<string, unknown>).k;
      depth++;
    }
    expect(out).toBe(TOO_DEEP);
    expect(depth).toBeLessThan(10);
  });

  it("counts tokens the OTel way, repairing usage reported with cache or reasoning outside the totals", () => {
    expect(genAiTokens({ "gen_ai.usage.input_tokens": 100, "gen_ai.usage.cache_read.input_tokens": 40, "gen_ai.usage.output_tokens": 10 })).toEqual({
      inputTokens: 100,
      cachedInputTokens: 40,
      cacheWriteTokens: 0,
      outputTokens: 10,
      reasoningTokens: 0,
    });
    expect(
      genAiTokens({
        "gen_ai.usage.input_tokens": 20,
        "gen_ai.usage.cache_read.input_tokens": 300,
        "gen_ai.usage.cache_creation.input_tokens": 50,
        "gen_ai.usage.completion_tokens": 5,
        "gen_ai.usage.reasoning.output_tokens": 40,
      }),
    ).toEqual({ inputTokens: 370, cachedInputTokens: 300, cacheWriteTokens: 50, outputTokens: 45, reasoningTokens: 40 });
  });
});
