/**
 * Latency percentiles from a mergeable sketch: a DDSketch-style log-bucketed histogram.
 *
 * A value x > 0 goes to bin i = ceil(ln x / ln γ) with γ = (1 + α) / (1 − α) and α = 0.01; bin i
 * covers (γ^(i−1), γ^i] and is read back as 2γ^i / (γ + 1), which is within α = 1% of every value
 * in the bin. Values ≤ 0.001 ms share ZERO_BIN (read as 0). A bucket stores its histogram as two
 * parallel arrays (bins, counts); merging buckets is `unnest` + SUM by bin, done in SQL, and the
 * quantile is read here from the merged, ordered (bin, count) pairs.
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
  return bin === ZERO_BIN ? 0 : (2 * Math.pow(SKETCH_GAMMA, bin)) / (SKETCH_GAMMA + 1);
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

/**
 * Merges (bins, counts) pairs into one sketch per key, bins ascending. Bins of one input need not
 * be sorted or distinct.
 */
export function mergeSketches<K>(rows: Iterable<{ key: K; bins: number[] | null; counts: number[] | null }>): Map<K, Sketch> {
  const merged = new Map<K, Map<number, number>>();
  for (const row of rows) {
    let bins = merged.get(row.key);
    if (!bins) merged.set(row.key, (bins = new Map()));
    const counts = row.counts ?? [];
    (row.bins ?? []).forEach((bin, i) => bins.set(bin, (bins.get(bin) ?? 0) + Number(counts[i])));
  }
  const out = new Map<K, Sketch>();
  for (const [key, bins] of merged) {
    const sorted = [...bins.keys()].sort((a, b) => a - b);
    out.set(key, { bins: sorted, counts: sorted.map((b) => bins.get(b)!) });
  }
  return out;
}

const round = (x: number) => Math.round(x * 1000) / 1000;

export type Percentiles = { p50: number | null; p95: number | null; p99: number | null };

export function percentiles(sketch: Sketch): Percentiles {
  return { p50: sketchQuantile(sketch, 0.5), p95: sketchQuantile(sketch, 0.95), p99: sketchQuantile(sketch, 0.99) };
}
