/**
 * Latency percentiles from a mergeable sketch: a DDSketch-style log-bucketed histogram.
 *
 * A value x > 0 goes to bin i = ceil(ln x / ln γ) with γ = (1 + α) / (1 − α) and α = 0.01; bin i
 * covers (γ^(i−1), γ^i] and is read back as 2γ^i / (γ + 1), which is within α = 1% of every value
 * in the bin. Values ≤ 0.001 ms share ZERO_BIN (read as 0). A bucket stores its histogram as two
 * parallel arrays (bins, counts); merging buckets adds counts per bin (mergeSketches), and the
 * quantile is read from the merged, ordered (bin, count) pairs.
 *
 * Chosen over t-digest and HDR: its error bound is relative (what latency needs), merging is exact
 * (plain addition, so rollups + raw tail = raw alone, bit for bit), and a few hundred bins cover
 * 1 µs…1 h. Quantiles interpolate between the two ranks around q·(n−1) like `percentile_cont`,
 * so each stays within 1% of the exact `percentile_cont` value.
 */
export const SKETCH_ALPHA = 0.01;
export const SKETCH_GAMMA = (1 + SKETCH_ALPHA) / (1 - SKETCH_ALPHA);
const LN_GAMMA = Math.log(SKETCH_GAMMA);
export const ZERO_BIN = -1_000_000;
const MIN_VALUE = 0.001;

/** SQL computing the bin of a numeric expression (NULL stays NULL). */
export function binSql(expr: string): string {
  return `(CASE WHEN ${expr} <= ${MIN_VALUE} THEN ${ZERO_BIN} ELSE ceil(ln(${expr}) / ${LN_GAMMA})::int END)`;
}

export function binValue(bin: number): number {
  return bin === ZERO_BIN ? 0 : (2 * SKETCH_GAMMA ** bin) / (SKETCH_GAMMA + 1);
}

export type Sketch = { bins: number[]; counts: number[] };

/** Quantile q (0…1) of a merged sketch whose bins are in ascending order; null when empty. */
export function sketchQuantile(sketch: Sketch, q: number): number | null {
  const total = sketch.counts.reduce((a, b) => a + b, 0);
  if (total === 0) return null;
  const rank = q * (total - 1);
  const lo = Math.floor(rank);
  const hi = Math.ceil(rank);
  let loValue: number | null = null;
  let cumulative = 0;
  for (let i = 0; i < sketch.bins.length; i++) {
    cumulative += sketch.counts[i]!;
    if (loValue === null && cumulative > lo) loValue = binValue(sketch.bins[i]!);
    if (cumulative > hi) {
      const hiValue = binValue(sketch.bins[i]!);
      return round(loValue! + (hiValue - loValue!) * (rank - lo));
    }
  }
  return round(binValue(sketch.bins[sketch.bins.length - 1]!));
}

/** Bins a dense array covers (about 0.3 µs to 5 days at γ ≈ 1.02); others, and ZERO_BIN, go to a map. */
const DENSE_MIN = -400;
const DENSE_SIZE = 1_400;

/**
 * Merges (bins, counts) pairs into one sketch per key, bins ascending. Bins of one input need not
 * be sorted or distinct. Arrays may come as numbers or as the comma-separated text of
 * `array_to_string` (see read.ts): splitting that is about 3× faster than pg's generic array parser,
 * and a 30-day page merges a few hundred thousand bins.
 */
export function mergeSketches<K>(rows: Iterable<{ key: K; bins: number[] | string | null; counts: number[] | string | null }>): Map<K, Sketch> {
  const merged = new Map<K, { dense: Float64Array; sparse: Map<number, number> }>();
  for (const row of rows) {
    let acc = merged.get(row.key);
    if (!acc) merged.set(row.key, (acc = { dense: new Float64Array(DENSE_SIZE), sparse: new Map() }));
    const bins = numbers(row.bins);
    const counts = numbers(row.counts);
    for (let i = 0; i < bins.length; i++) {
      const bin = bins[i]!;
      const at = bin - DENSE_MIN;
      if (at >= 0 && at < DENSE_SIZE) acc.dense[at]! += counts[i]!;
      else acc.sparse.set(bin, (acc.sparse.get(bin) ?? 0) + counts[i]!);
    }
  }
  const out = new Map<K, Sketch>();
  for (const [key, { dense, sparse }] of merged) {
    for (let at = 0; at < DENSE_SIZE; at++) if (dense[at]) sparse.set(at + DENSE_MIN, dense[at]!);
    const sorted = [...sparse.keys()].sort((a, b) => a - b);
    out.set(key, { bins: sorted, counts: sorted.map((b) => sparse.get(b)!) });
  }
  return out;
}

function numbers(value: number[] | string | null): number[] {
  if (value === null || value === "") return [];
  if (typeof value !== "string") return value.map(Number);
  const parts = value.split(",");
  const out = new Array<number>(parts.length);
  for (let i = 0; i < parts.length; i++) out[i] = +parts[i]!;
  return out;
}

const round = (x: number) => Math.round(x * 1000) / 1000;

type Percentiles = { p50: number | null; p95: number | null; p99: number | null };

export function percentiles(sketch: Sketch): Percentiles {
  return { p50: sketchQuantile(sketch, 0.5), p95: sketchQuantile(sketch, 0.95), p99: sketchQuantile(sketch, 0.99) };
}
