import { describe, expect, it } from "vitest";
import { bucketStarts, coverRange, grainsForStep, pickStep, RETENTION_MS, wholeHourZone } from "@/server/rollup/buckets";
import { binValue, mergeSketches, SKETCH_ALPHA, SKETCH_GAMMA, sketchQuantile, ZERO_BIN } from "@/server/rollup/sketch";

const d = (s: string) => new Date(s);
const iso = (segments: ReturnType<typeof coverRange>) => segments.map((s) => [s.grain, s.from.toISOString().slice(0, 19), s.to.toISOString().slice(0, 19)]);

describe("coverRange", () => {
  it("uses closed day, hour and minute buckets from the middle out and raw rows at the edges and the open tail", () => {
    const marks = { day: d("2026-11-20T00:00:00Z"), hour: d("2026-11-20T12:00:00Z"), minute: d("2026-11-20T12:34:00Z") };
    expect(iso(coverRange(d("2026-11-17T22:30:30Z"), d("2026-11-20T12:40:00Z"), ["minute", "hour", "day"], marks))).toEqual([
      [null, "2026-11-17T22:30:30", "2026-11-17T22:31:00"],
      ["minute", "2026-11-17T22:31:00", "2026-11-17T23:00:00"],
      ["hour", "2026-11-17T23:00:00", "2026-11-18T00:00:00"],
      ["day", "2026-11-18T00:00:00", "2026-11-20T00:00:00"],
      ["hour", "2026-11-20T00:00:00", "2026-11-20T12:00:00"],
      ["minute", "2026-11-20T12:00:00", "2026-11-20T12:34:00"],
      [null, "2026-11-20T12:34:00", "2026-11-20T12:40:00"],
    ]);
  });

  it("reads raw rows only without watermarks or grains", () => {
    expect(iso(coverRange(d("2026-11-20T00:00:00Z"), d("2026-11-21T00:00:00Z"), ["hour"], {}))).toEqual([[null, "2026-11-20T00:00:00", "2026-11-21T00:00:00"]]);
    expect(iso(coverRange(d("2026-11-20T00:00:00Z"), d("2026-11-21T00:00:00Z"), [], { hour: d("2026-11-22T00:00:00Z") }))).toEqual([
      [null, "2026-11-20T00:00:00", "2026-11-21T00:00:00"],
    ]);
  });

  it("uses minute buckets only within their retention before the watermark; older edges read raw rows", () => {
    const marks = { hour: d("2026-11-30T12:00:00Z"), minute: d("2026-11-30T12:34:00Z") };
    expect(RETENTION_MS.minute).toBe(72 * 3_600_000);
    expect(iso(coverRange(d("2026-11-20T09:15:00Z"), d("2026-11-30T12:40:00Z"), ["minute", "hour"], marks))).toEqual([
      [null, "2026-11-20T09:15:00", "2026-11-20T10:00:00"],
      ["hour", "2026-11-20T10:00:00", "2026-11-30T12:00:00"],
      ["minute", "2026-11-30T12:00:00", "2026-11-30T12:34:00"],
      [null, "2026-11-30T12:34:00", "2026-11-30T12:40:00"],
    ]);
    expect(iso(coverRange(d("2026-11-27T12:30:00Z"), d("2026-11-27T13:00:00Z"), ["minute"], marks))).toEqual([
      [null, "2026-11-27T12:30:00", "2026-11-27T12:34:00"],
      ["minute", "2026-11-27T12:34:00", "2026-11-27T13:00:00"],
    ]);
  });

  it("reads the last 24 hours from one sliding window when it starts on a whole hour, and never past the windows folded", () => {
    // "24h" watermark: every window starting before 11:00 yesterday is folded, so the newest ends at 10:00 today.
    const marks = { "24h": d("2026-11-26T11:00:00Z"), hour: d("2026-11-27T10:00:00Z"), minute: d("2026-11-27T10:37:00Z") };
    const grains = ["minute", "hour", "24h", "day"] as const;
    expect(iso(coverRange(d("2026-11-26T10:00:00Z"), d("2026-11-27T10:37:30Z"), grains, marks))).toEqual([
      ["24h", "2026-11-26T10:00:00", "2026-11-27T10:00:00"],
      ["minute", "2026-11-27T10:00:00", "2026-11-27T10:37:00"],
      [null, "2026-11-27T10:37:00", "2026-11-27T10:37:30"],
    ]);
    // A window starting later than the newest folded one is not used: hours instead.
    expect(iso(coverRange(d("2026-11-26T11:00:00Z"), d("2026-11-27T11:00:00Z"), grains, marks)).map((s) => s[0])).not.toContain("24h");
    // Windows older than their retention (2 hours of starts before the watermark) are not used either.
    expect(iso(coverRange(d("2026-11-26T07:00:00Z"), d("2026-11-27T07:00:00Z"), grains, marks)).map((s) => s[0])).toEqual(["hour"]);
    // A whole UTC day is read from its day bucket, not from a window.
    const dayMarks = { ...marks, day: d("2026-11-27T00:00:00Z"), "24h": d("2026-11-26T01:00:00Z") };
    expect(iso(coverRange(d("2026-11-26T00:00:00Z"), d("2026-11-27T00:00:00Z"), grains, dayMarks))).toEqual([
      ["day", "2026-11-26T00:00:00", "2026-11-27T00:00:00"],
    ]);
    expect(bucketStarts({ grain: "24h", from: d("2026-11-24T10:00:00Z"), to: d("2026-11-26T10:00:00Z") }).map((x) => x.toISOString())).toEqual([
      "2026-11-24T10:00:00.000Z",
      "2026-11-25T10:00:00.000Z",
    ]);
  });

  it("reads the last 30 days from one 29d window from the next UTC midnight, in any zone, and today in six-hour buckets", () => {
    // Now is 2026-11-27T14:37:30Z; the newest 29d window starts on 10-29 (it ends today at 00:00).
    const marks = {
      "29d": d("2026-10-30T00:00:00Z"),
      day: d("2026-11-27T00:00:00Z"),
      "6h": d("2026-11-27T12:00:00Z"),
      hour: d("2026-11-27T14:00:00Z"),
      minute: d("2026-11-27T14:37:00Z"),
    };
    const grains = ["minute", "hour", "6h", "day", "24h", "29d", "week"] as const;
    // UTC: the range starts at midnight 30 days ago, where a window starts.
    expect(iso(coverRange(d("2026-10-28T00:00:00Z"), d("2026-11-27T14:37:30Z"), grains, marks))).toEqual([
      ["29d", "2026-10-28T00:00:00", "2026-11-26T00:00:00"],
      ["day", "2026-11-26T00:00:00", "2026-11-27T00:00:00"],
      ["6h", "2026-11-27T00:00:00", "2026-11-27T12:00:00"],
      ["hour", "2026-11-27T12:00:00", "2026-11-27T14:00:00"],
      ["minute", "2026-11-27T14:00:00", "2026-11-27T14:37:00"],
      [null, "2026-11-27T14:37:00", "2026-11-27T14:37:30"],
    ]);
    // New York: midnight of 10-28 (EDT) is 04:00 UTC; the window starts at the next UTC midnight.
    expect(iso(coverRange(d("2026-10-28T04:00:00Z"), d("2026-11-27T14:37:30Z"), grains, marks)).slice(0, 4)).toEqual([
      ["hour", "2026-10-28T04:00:00", "2026-10-28T06:00:00"],
      ["6h", "2026-10-28T06:00:00", "2026-10-29T00:00:00"],
      ["29d", "2026-10-29T00:00:00", "2026-11-27T00:00:00"],
      ["6h", "2026-11-27T00:00:00", "2026-11-27T12:00:00"],
    ]);
    // Windows are kept for three days of starts: an older 30-day range reads weeks and days.
    expect(
      iso(coverRange(d("2026-10-20T00:00:00Z"), d("2026-11-19T00:00:00Z"), grains, { ...marks, week: d("2026-11-21T00:00:00Z") })).map((s) => s[0]),
    ).not.toContain("29d");
  });

  it("never lets a bucket straddle a series point", () => {
    expect(grainsForStep(pickStep(d("2026-11-20T00:00:00Z"), d("2026-11-20T01:00:00Z")), "UTC")).toEqual(["minute"]);
    expect(grainsForStep(pickStep(d("2026-10-20T00:00:00Z"), d("2026-11-20T00:00:00Z")), "UTC")).toEqual(["minute", "hour", "6h", "day"]);
    expect(grainsForStep(pickStep(d("2026-10-20T00:00:00Z"), d("2026-11-20T00:00:00Z")), "Europe/Berlin")).toEqual(["minute", "hour"]);
    expect(grainsForStep(pickStep(d("2026-10-20T00:00:00Z"), d("2026-11-20T00:00:00Z")), "America/New_York")).toEqual(["minute", "hour"]);
    expect(grainsForStep(pickStep(d("2026-10-20T00:00:00Z"), d("2026-11-20T00:00:00Z")), "Asia/Kolkata")).toEqual(["minute"]);
    expect(grainsForStep(pickStep(d("2026-10-20T00:00:00Z"), d("2026-11-20T00:00:00Z")), "Asia/Kathmandu")).toEqual(["minute"]);
    // Week rollups start on Saturdays in UTC, so even a 7-day step (calendar weeks) never reads them.
    expect(grainsForStep({ ms: 7 * 86_400_000, interval: "7 days" }, "UTC")).toEqual(["minute", "hour", "6h", "day"]);
    // Six-hour buckets only where a local six-hour step is a UTC one.
    expect(grainsForStep({ ms: 6 * 3_600_000, interval: "6 hours" }, "UTC")).toEqual(["minute", "hour", "6h"]);
    expect(grainsForStep({ ms: 6 * 3_600_000, interval: "6 hours" }, "Europe/Berlin")).toEqual(["minute", "hour"]);
    expect(wholeHourZone("Asia/Tokyo")).toBe(true);
    expect(wholeHourZone("Australia/Adelaide")).toBe(false);
  });
});

describe("sketch", () => {
  it("reads every bin back within α of any value in it", () => {
    for (const x of [0.01, 0.5, 1, 7.3, 123.456, 9999, 3_600_000]) {
      const bin = Math.ceil(Math.log(x) / Math.log(SKETCH_GAMMA));
      expect(Math.abs(binValue(bin) - x) / x).toBeLessThanOrEqual(SKETCH_ALPHA + 1e-12);
    }
  });

  it("interpolates quantiles like percentile_cont within 1%", () => {
    const values = Array.from({ length: 1000 }, (_, i) => 1 + i * 3.7);
    const counts = new Map<number, number>();
    for (const v of values) {
      const bin = Math.ceil(Math.log(v) / Math.log(SKETCH_GAMMA));
      counts.set(bin, (counts.get(bin) ?? 0) + 1);
    }
    const bins = [...counts.keys()].sort((a, b) => a - b);
    const sketch = { bins, counts: bins.map((b) => counts.get(b)!) };
    for (const q of [0.5, 0.95, 0.99]) {
      const rank = q * (values.length - 1);
      const exact = values[Math.floor(rank)]! + (values[Math.ceil(rank)]! - values[Math.floor(rank)]!) * (rank - Math.floor(rank));
      expect(Math.abs(sketchQuantile(sketch, q)! - exact) / exact).toBeLessThanOrEqual(0.01);
    }
    expect(sketchQuantile({ bins: [], counts: [] }, 0.5)).toBeNull();
  });
});

describe("mergeSketches", () => {
  it("adds counts per bin across rows of a key, from number arrays and from array_to_string text alike", () => {
    const merged = mergeSketches([
      { key: "a", bins: [5, -3, 5], counts: [1, 2, 3] },
      { key: "a", bins: "-3,900,5", counts: "10,1,100" },
      { key: "b", bins: "", counts: "" },
      { key: "b", bins: null, counts: null },
    ]);
    expect(merged.get("a")).toEqual({ bins: [-3, 5, 900], counts: [12, 104, 1] });
    expect(merged.get("b")).toEqual({ bins: [], counts: [] });
  });

  it("keeps bins outside the dense range, ZERO_BIN included, in order", () => {
    const merged = mergeSketches([
      { key: 1, bins: [ZERO_BIN, 5_000, -401, 1_000], counts: [4, 1, 2, 3] },
      { key: 1, bins: `${ZERO_BIN},5000`, counts: "1,1" },
    ]);
    expect(merged.get(1)).toEqual({ bins: [ZERO_BIN, -401, 1_000, 5_000], counts: [5, 2, 3, 2] });
    expect(sketchQuantile(merged.get(1)!, 0)).toBe(0);
  });
});
