import { afterEach, describe, expect, it } from "vitest";
import { logger, type LogRecord } from "@sightline/node";

/** A fresh set of sinks per test: one function sink recording every record it takes. */
function capture(options: Parameters<typeof logger.add>[1] = {}) {
  logger.remove();
  const records: LogRecord[] = [];
  const lines: string[] = [];
  logger.add(
    (line, record) => {
      lines.push(line);
      records.push(record);
    },
    { level: "trace", ...options },
  );
  return { records, lines };
}

afterEach(() => logger.remove());

describe("logger: loguru semantics", () => {
  it("formats braces from the fields and keeps the fields structured", () => {
    const { records } = capture();
    logger.info("User {user} paid {amount} ({order.id}) {{literal}} {missing}", { user: "ann", amount: 42, order: { id: "o-1" } });
    expect(records[0]!.message).toBe("User ann paid 42 (o-1) {literal} {missing}");
    expect(records[0]!.template).toBe("User {user} paid {amount} ({order.id}) {{literal}} {missing}");
    expect(records[0]!.fields).toEqual({ user: "ann", amount: 42, order: { id: "o-1" } });
  });

  it("has loguru's levels and numbers, and each sink keeps its own minimum", () => {
    logger.remove();
    const low: string[] = [];
    const high: string[] = [];
    logger.add((_l, r) => low.push(r.level), { level: "trace" });
    logger.add((_l, r) => high.push(r.level), { level: "warn" });
    for (const level of ["trace", "debug", "info", "success", "warn", "error", "fatal"] as const) logger[level]("x");
    expect(low).toEqual(["trace", "debug", "info", "success", "warn", "error", "fatal"]);
    expect(high).toEqual(["warn", "error", "fatal"]);
  });

  it("bind returns a child with merged fields and leaves the parent unchanged", () => {
    const { records } = capture();
    const child = logger.bind({ component: "billing", a: 1 });
    const grandchild = child.bind({ a: 2 });
    grandchild.info("x", { b: 3 });
    logger.info("y");
    child.info("z");
    expect(records.map((r) => r.fields)).toEqual([{ component: "billing", a: 2, b: 3 }, {}, { component: "billing", a: 1 }]);
  });

  it("contextualize scopes fields across awaits and concurrent tasks, and nests", async () => {
    const { records } = capture();
    const task = (id: string, delay: number) =>
      logger.contextualize({ task: id }, async () => {
        await new Promise((r) => setTimeout(r, delay));
        await logger.contextualize({ step: 2 }, async () => {
          await Promise.resolve();
          logger.info("inner");
        });
        logger.info("outer");
      });
    await Promise.all([task("a", 20), task("b", 5)]);
    logger.info("outside");
    expect(records.map((r) => [r.message, r.fields])).toEqual([
      ["inner", { task: "b", step: 2 }],
      ["outer", { task: "b" }],
      ["inner", { task: "a", step: 2 }],
      ["outer", { task: "a" }],
      ["outside", {}],
    ]);
  });

  it("bound fields win over contextualized ones, the call's own fields over both", () => {
    const { records } = capture();
    logger.contextualize({ k: "ctx", c: 1 }, () => logger.bind({ k: "bound", b: 1 }).info("x", { k: "call" }));
    expect(records[0]!.fields).toEqual({ k: "call", c: 1, b: 1 });
  });

  it("opt({ lazy: true }) calls function fields only when some sink takes the level", () => {
    capture({ level: "info" });
    let calls = 0;
    const expensive = () => {
      calls++;
      return 42;
    };
    logger.opt({ lazy: true }).debug("value {v}", { v: expensive });
    expect(calls).toBe(0);
    logger.opt({ lazy: true }).info("value {v}", { v: expensive });
    expect(calls).toBe(1);
  });

  it("catch wraps sync and async functions: logs the stack, returns the default or rethrows", async () => {
    const { records } = capture();
    const sync = logger.catch(
      function divide(a: number) {
        if (a === 0) throw new RangeError("zero");
        return 10 / a;
      },
      { default: -1, capture: false },
    );
    expect(sync(2)).toBe(5);
    expect(sync(0)).toBe(-1);
    expect(records[0]!.level).toBe("error");
    expect(records[0]!.message).toBe("An error has been caught in function 'divide'");
    expect(records[0]!.exception?.stack).toContain("RangeError: zero");

    const seen: Error[] = [];
    const asyncFn = logger.catch(
      async () => {
        await Promise.resolve();
        throw new TypeError("async boom");
      },
      { reraise: true, message: "job failed", onerror: (e) => seen.push(e), capture: false },
    );
    await expect(asyncFn()).rejects.toThrow("async boom");
    expect(records[1]!.message).toBe("job failed");
    expect(seen[0]!.message).toBe("async boom");

    class Expected extends Error {}
    const excluded = logger.catch(
      () => {
        throw new Expected("not mine");
      },
      { exclude: Expected, capture: false },
    );
    expect(() => excluded()).toThrow("not mine");
    expect(records).toHaveLength(2);
  });

  it("exception() and an Error as the fields argument attach the error", () => {
    const { records, lines } = capture();
    logger.exception("failed", new Error("inner"));
    logger.warn("also", new SyntaxError("bad json"));
    expect(records[0]!.exception?.message).toBe("inner");
    expect(records[1]!.exception?.name).toBe("SyntaxError");
    expect(lines[0]).toContain("Error: inner");
  });

  it("filters: a function, a logger-name prefix, and a { prefix: level } map with a default", () => {
    logger.remove();
    const byPrefix: string[] = [];
    const byMap: string[] = [];
    logger.add((_l, r) => byPrefix.push(r.message), { level: "trace", filter: "db" });
    logger.add((_l, r) => byMap.push(r.message), { level: "trace", filter: { "": "warn", "db.pool": "debug", noisy: false } });
    const db = logger.bind({ logger: "db.pool" });
    db.debug("pool debug");
    logger.bind({ logger: "dbx" }).error("dbx error");
    logger.bind({ logger: "noisy" }).fatal("noisy fatal");
    logger.info("root info");
    logger.warn("root warn");
    expect(byPrefix).toEqual(["pool debug"]);
    expect(byMap).toEqual(["pool debug", "dbx error", "root warn"]);
  });

  it("add returns ids for remove; serialize writes JSON lines; format takes a template", () => {
    logger.remove();
    const json: string[] = [];
    const text: string[] = [];
    const a = logger.add((line) => json.push(line), { serialize: true });
    logger.add((line) => text.push(line), { format: "{level} {message} {extra}" });
    logger.info("hello {who}", { who: "you" });
    logger.remove(a);
    logger.info("again");
    expect(json).toHaveLength(1);
    expect(JSON.parse(json[0]!)).toMatchObject({ level: "info", message: "hello you", who: "you" });
    expect(text).toEqual(['INFO hello you {"who":"you"}\n', "INFO again {}\n"]);
    expect(() => logger.remove(a)).toThrow(/no sink/);
  });

  it("redacts secret-looking keys and values before any sink sees them", () => {
    const { records } = capture();
    logger.info("login with {token}", { token: "abc123", user: { password: "hunter2", name: "ann" }, note: "card 4111 1111 1111 1111" });
    expect(records[0]!.message).toBe("login with [REDACTED]");
    expect(records[0]!.fields).toEqual({ token: "[REDACTED]", user: { password: "[REDACTED]", name: "ann" }, note: "card [REDACTED]" });
  });

  it("a throwing sink never reaches the caller or the other sinks", () => {
    logger.remove();
    const got: string[] = [];
    logger.add(() => {
      throw new Error("sink down");
    });
    logger.add((_l, r) => got.push(r.message));
    expect(() => logger.info("still here")).not.toThrow();
    expect(got).toEqual(["still here"]);
  });
});
