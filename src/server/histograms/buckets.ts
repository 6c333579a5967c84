/**
 * Histogram bucket arithmetic shared by ingest (cumulative → delta) and reads (merge, percentiles).
 * Explicit buckets: `counts[i]` covers (bounds[i-1], bounds[i]] with open ends. Exponential buckets
 * (OTLP): index i of the positive side covers (base^i, base^(i+1)], base = 2^(2^-scale), the
 * negative side mirrors it, `zeroCount` counts zeros. Two exponential histograms merge at the
 * smaller scale (each step down merges pairs of buckets), so merging is exact, never resampled.
 */
export type ExplicitBuckets = { bounds: number[]; counts: number[] };
export type ExponentialSide = { offset: number; counts: number[] };
export type ExponentialBuckets = { scale: number; zeroCount: number; positive: ExponentialSide; negative: ExponentialSide };
export type StoredBuckets = ExplicitBuckets | ExponentialBuckets;

const isExponential = (b: StoredBuckets): b is ExponentialBuckets => "scale" in b;
export const isExplicit = (b: unknown): b is ExplicitBuckets =>
  typeof b === "object" && b !== null && Array.isArray((b as ExplicitBuckets).bounds) && Array.isArray((b as ExplicitBuckets).counts);
export const isStoredExponential = (b: unknown): b is ExponentialBuckets =>
  typeof b === "object" && b !== null && typeof (b as ExponentialBuckets).scale === "number" && typeof (b as ExponentialBuckets).positive === "object";

/** The side at a scale `by` steps lower: bucket index i becomes i >> by (floor division by 2^by). */
function downscaleSide(s: ExponentialSide, by: number): Map<number, number> {
  const out = new Map<number, number>();
  s.counts.forEach((c, i) => {
    if (c === 0) return;
    const index = (s.offset + i) >> by;
    out.set(index, (out.get(index) ?? 0) + c);
  });
  return out;
}

function sideFromMap(m: Map<number, number>): ExponentialSide {
  if (m.size === 0) return { offset: 0, counts: [] };
  const keys = [...m.keys()];
  const lo = Math.min(...keys);
  const hi = Math.max(...keys);
  const counts = new Array<number>(hi - lo + 1).fill(0);
  for (const [k, v] of m) counts[k - lo] = v;
  return { offset: lo, counts };
}

function combineSides(a: Map<number, number>, b: Map<number, number>, sign: 1 | -1): Map<number, number> | null {
  const out = new Map(a);
  for (const [k, v] of b) out.set(k, (out.get(k) ?? 0) + sign * v);
  for (const [k, v] of out) {
    if (v < 0) return null;
    if (v === 0) out.delete(k);
  }
  return out;
}

function combineExponential(a: ExponentialBuckets, b: ExponentialBuckets, sign: 1 | -1): ExponentialBuckets | null {
  const scale = Math.min(a.scale, b.scale);
  const pos = combineSides(downscaleSide(a.positive, a.scale - scale), downscaleSide(b.positive, b.scale - scale), sign);
  const neg = combineSides(downscaleSide(a.negative, a.scale - scale), downscaleSide(b.negative, b.scale - scale), sign);
  const zeroCount = a.zeroCount + sign * b.zeroCount;
  if (!pos || !neg || zeroCount < 0) return null;
  return { scale, zeroCount, positive: sideFromMap(pos), negative: sideFromMap(neg) };
}

const sameBounds = (a: number[], b: number[]) => a.length === b.length && a.every((x, i) => x === b[i]);

/**
 * `current − previous` for two points of one cumulative series, or null when they cannot be
 * subtracted (a bucket went down, or the layout changed): the caller treats that as a reset.
 */
export function subtractBuckets(current: StoredBuckets, previous: StoredBuckets): StoredBuckets | null {
  if (isExponential(current) && isExponential(previous)) return combineExponential(current, previous, -1);
  if (isExponential(current) || isExponential(previous)) return null;
  if (!sameBounds(current.bounds, previous.bounds)) return null;
  const counts = current.counts.map((c, i) => c - (previous.counts[i] ?? 0));
  return counts.some((c) => c < 0) ? null : { bounds: current.bounds, counts };
}

type Interval = { lo: number; hi: number; count: number };

/** Every bucket as an interval; open ends are closed with the observed min/max when known. */
function intervalsOf(b: StoredBuckets, min: number | null, max: number | null): Interval[] {
  const out: Interval[] = [];
  if (isExponential(b)) {
    const base = 2 ** (2 ** -b.scale);
    b.negative.counts.forEach((count, i) => {
      if (count) out.push({ lo: -(base ** (b.negative.offset + i + 1)), hi: -(base ** (b.negative.offset + i)), count });
    });
    if (b.zeroCount) out.push({ lo: 0, hi: 0, count: b.zeroCount });
    b.positive.counts.forEach((count, i) => {
      if (count) out.push({ lo: base ** (b.positive.offset + i), hi: base ** (b.positive.offset + i + 1), count });
    });
    return out;
  }
  b.counts.forEach((count, i) => {
    if (!count) return;
    const lo = i === 0 ? (min ?? Math.min(0, b.bounds[0] ?? 0)) : b.bounds[i - 1]!;
    const hi = i === b.bounds.length ? (max ?? b.bounds[i - 1] ?? lo) : b.bounds[i]!;
    out.push({ lo: Math.min(lo, hi), hi, count });
  });
  return out;
}

/** A merge of any number of bucket sets: exponential ones exactly (common scale), explicit ones as intervals. */
export class HistogramMerge {
  private exponential: ExponentialBuckets | null = null;
  private readonly explicit = new Map<string, ExplicitBuckets>();
  min: number | null = null;
  max: number | null = null;

  add(buckets: unknown, min: number | null, max: number | null): void {
    if (min !== null) this.min = this.min === null ? min : Math.min(this.min, min);
    if (max !== null) this.max = this.max === null ? max : Math.max(this.max, max);
    if (isStoredExponential(buckets)) {
      this.exponential = this.exponential ? combineExponential(this.exponential, buckets, 1) : buckets;
    } else if (isExplicit(buckets)) {
      const key = JSON.stringify(buckets.bounds);
      const had = this.explicit.get(key);
      this.explicit.set(key, had ? { bounds: had.bounds, counts: had.counts.map((c, i) => c + (buckets.counts[i] ?? 0)) } : buckets);
    }
  }

  /** The merged bucket sets (at most one exponential, one explicit per layout): what a rollup stores. */
  parts(): StoredBuckets[] {
    return [...(this.exponential ? [this.exponential] : []), ...this.explicit.values()];
  }

  /**
   * The q-quantile by linear interpolation inside the bucket that holds rank q·n (Prometheus's
   * histogram_quantile). The true value lies in the same bucket, so the error is at most that
   * bucket's width: for exponential buckets a relative error ≤ 2^(2^-scale) − 1.
   */
  quantile(q: number): number | null {
    const intervals = [
      ...(this.exponential ? intervalsOf(this.exponential, this.min, this.max) : []),
      ...[...this.explicit.values()].flatMap((b) => intervalsOf(b, this.min, this.max)),
    ].sort((a, b) => a.lo - b.lo || a.hi - b.hi);
    const total = intervals.reduce((n, i) => n + i.count, 0);
    if (total === 0) return null;
    const rank = q * total;
    let seen = 0;
    for (const i of intervals) {
      if (seen + i.count >= rank) {
        const lo = this.min !== null ? Math.max(i.lo, Math.min(this.min, i.hi)) : i.lo;
        const hi = this.max !== null ? Math.min(i.hi, Math.max(this.max, lo)) : i.hi;
        return lo + ((hi - lo) * (rank - seen)) / i.count;
      }
      seen += i.count;
    }
    return intervals.at(-1)!.hi;
  }
}
