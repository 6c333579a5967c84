import { describe, expect, it } from "vitest";
import { HistogramMerge, subtractBuckets } from "@/server/histograms/buckets";
import { computeDeltas, type DeltaInput, type MetricShape } from "@/server/ingest/metric-deltas";

const counter: MetricShape = { metricType: "sum", temporality: "cumulative", monotonic: true };
const t = (s: number) => new Date(Date.UTC(2026, 11, 4, 12, 0, s));
const point = (s: number, value: number, start: number | null = 0, shape = counter): DeltaInput => ({
  seriesId: "a",
  shape,
  time: t(s),
  startTime: start === null ? null : t(start),
  value,
  count: null,
  sum: null,
  buckets: null,
});

describe("cumulative sums → increases (Prometheus increase() semantics)", () => {
  it("takes differences, counts a reset by drop or by new start time from zero, and re-exports as nothing", () => {
    const points = [point(10, 5), point(20, 8), point(20, 8), point(30, 2), point(40, 4, 35), point(50, 6, 35)];
    expect(computeDeltas(points, new Map()).map((d) => d.delta)).toEqual([5, 3, 0, 2, 4, 2]);
  });

  it("continues from the latest stored point, ignores late points, and needs a start time to count a first point", () => {
    const stored = new Map([["a", { time: t(10), startTime: t(0), value: 5, count: null, sum: null, buckets: null }]]);
    expect(computeDeltas([point(5, 3), point(15, 9)], stored).map((d) => d.delta)).toEqual([0, 4]);
    expect(computeDeltas([point(10, 100, null), point(20, 130, null)], new Map()).map((d) => d.delta)).toEqual([0, 30]);
  });

  it("an up-down sum may go down without a reset; delta sums are taken as they are", () => {
    const upDown: MetricShape = { metricType: "sum", temporality: "cumulative", monotonic: false };
    expect(computeDeltas([point(10, 5, 0, upDown), point(20, 3, 0, upDown)], new Map()).map((d) => d.delta)).toEqual([5, -2]);
    const delta: MetricShape = { metricType: "sum", temporality: "delta", monotonic: true };
    expect(computeDeltas([point(10, 5, 0, delta), point(10, 5, 0, delta)], new Map()).map((d) => d.delta)).toEqual([5, 5]);
  });
});

describe("histogram buckets", () => {
  it("subtracts exponential buckets at the smaller scale and refuses a decrease", () => {
    const before = { scale: 1, zeroCount: 0, positive: { offset: 2, counts: [1, 1] }, negative: { offset: 0, counts: [] } };
    const after = { scale: 0, zeroCount: 1, positive: { offset: 1, counts: [3, 1] }, negative: { offset: 0, counts: [] } };
    // scale 1 → 0: indexes 2, 3 → 1, 1: before = {1: 2}.
    expect(subtractBuckets(after, before)).toEqual({ scale: 0, zeroCount: 1, positive: { offset: 1, counts: [1, 1] }, negative: { offset: 0, counts: [] } });
    expect(subtractBuckets(before, after)).toBeNull();
  });

  it("interpolates percentiles inside the bucket holding the rank", () => {
    const m = new HistogramMerge();
    m.add({ bounds: [10, 20], counts: [5, 5, 0] }, 0, 20);
    m.add({ bounds: [10, 20], counts: [0, 10, 0] }, 12, 18);
    expect(m.quantile(0.25)).toBe(10 + (10 * (5 - 5)) / 15); // rank 5 closes the first bucket
    expect(m.quantile(0.5)).toBeCloseTo(10 + (10 * 5) / 15, 10);
    expect(m.quantile(1)).toBe(20);
  });
});
