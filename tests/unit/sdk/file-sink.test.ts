import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { gunzipSync } from "node:zlib";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { fileSink, logger } from "@sightline/node";
import { compileRotation, nextAt, parseDuration, parseSize } from "../../../sdk/node/src/sinks/rotation";

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "sightline-file-sink-"));
  logger.remove();
});
afterEach(() => {
  logger.remove();
  fs.rmSync(dir, { recursive: true, force: true });
});

const rotated = (ext = ".log") =>
  fs
    .readdirSync(dir)
    .filter((n) => n !== `app${ext}`)
    .sort();

describe("fileSink", () => {
  it("appends JSON lines, written by the end of the tick", async () => {
    const sink = fileSink(path.join(dir, "app.log"));
    logger.add(sink, { serialize: true });
    logger.info("one {n}", { n: 1 });
    logger.warn("two");
    await new Promise((r) => setImmediate(r));
    const lines = fs
      .readFileSync(path.join(dir, "app.log"), "utf8")
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(lines.map((l) => [l.level, l.message, l.n])).toEqual([
      ["info", "one 1", 1],
      ["warn", "two", undefined],
    ]);
    await sink.close();
  });

  it("rotates by size, keeps `retention` rotated files, and gzips them", async () => {
    const sink = fileSink(path.join(dir, "app.log"), { rotation: "1 KB", retention: 2, compression: "gz" });
    logger.add(sink, { serialize: true });
    for (let i = 0; i < 40; i++) {
      logger.info("line {i} {pad}", { i, pad: "x".repeat(60) });
      await new Promise((r) => setImmediate(r));
    }
    await sink.flush();
    const files = rotated();
    expect(files).toHaveLength(2);
    expect(files.every((f) => /^app\.\d{4}-\d{2}-\d{2}_\d{2}-\d{2}-\d{2}_\d{3}\.log\.gz$/.test(f))).toBe(true);
    const newestRotated = gunzipSync(fs.readFileSync(path.join(dir, files.at(-1)!)))
      .toString("utf8")
      .trim()
      .split("\n");
    const current = fs.readFileSync(path.join(dir, "app.log"), "utf8").trim().split("\n");
    expect(fs.statSync(path.join(dir, "app.log")).size).toBeLessThanOrEqual(1000);
    // The newest rotated file ends right where the live file starts: nothing lost at a rotation.
    const lastRotated = JSON.parse(newestRotated.at(-1)!).i as number;
    expect(JSON.parse(current[0]!).i).toBe(lastRotated + 1);
    expect(JSON.parse(current.at(-1)!).i).toBe(39);
    await sink.close();
  });

  it("rotates with a function and deletes rotated files older than the retention age", async () => {
    const old = path.join(dir, "app.2020-01-01_00-00-00_000.log");
    fs.writeFileSync(old, "old\n");
    fs.utimesSync(old, new Date("2020-01-01"), new Date("2020-01-01"));
    let writes = 0;
    const sink = fileSink(path.join(dir, "app.log"), { rotation: () => ++writes % 3 === 0, retention: "1 day" });
    logger.add(sink, { format: "{message}" });
    for (let i = 0; i < 6; i++) {
      logger.info(`m${i}`);
      await new Promise((r) => setImmediate(r));
    }
    await sink.flush();
    expect(fs.existsSync(old)).toBe(false);
    expect(rotated()).toHaveLength(2);
    expect(fs.readFileSync(path.join(dir, "app.log"), "utf8")).toBe("m5\n");
    await sink.close();
  });
});

describe("rotation specs", () => {
  it("reads sizes and durations", () => {
    expect(parseSize("100 MB")).toBe(100_000_000);
    expect(parseSize("1.5 KiB")).toBe(1536);
    expect(parseSize("soon")).toBeNull();
    expect(parseDuration("1 day")).toBe(86_400_000);
    expect(parseDuration("12 h")).toBe(43_200_000);
    expect(parseDuration("2 weeks")).toBe(1_209_600_000);
  });

  it("time of day: the next boundary after the file was opened, then every day", () => {
    const opened = new Date(2026, 0, 5, 23, 59, 0).getTime();
    expect(nextAt(opened, 0, 0)).toBe(new Date(2026, 0, 6, 0, 0, 0).getTime());
    const rotate = compileRotation("00:00");
    const file = { size: 10, openedAt: opened };
    expect(rotate("x", file, opened + 30_000)).toBe(false);
    expect(rotate("x", file, opened + 60_000)).toBe(true);
    file.openedAt = opened + 60_000;
    expect(rotate("x", file, opened + 120_000)).toBe(false);
    expect(rotate("x", file, opened + 60_000 + 86_400_000)).toBe(true);
  });

  it("weekday: the next such day at the given time", () => {
    const monday = new Date(2026, 0, 5, 12, 0, 0).getTime(); // 5 Jan 2026 is a Monday
    expect(new Date(nextAt(monday, 3, 0, 0)).getDay()).toBe(0);
    expect(nextAt(monday, 3, 0, 0)).toBe(new Date(2026, 0, 11, 3, 0, 0).getTime());
    expect(() => compileRotation("someday")).toThrow(/Cannot read rotation/);
  });
});
