/**
 * LLM call cost from token counts and one price entry — exact decimal arithmetic, no floats.
 *
 * Token accounting follows the OpenTelemetry GenAI convention:
 * - `inputTokens` is ALL prompt tokens; `cachedInputTokens` (cache reads) and `cacheWriteTokens`
 *   (cache creation) are parts of it. Each part is billed once at its own rate:
 *   (input − cached − cacheWrite) × input rate + cached × cached rate + cacheWrite × cache-write rate.
 * - `reasoningTokens` are part of `outputTokens` (as OpenAI and Gemini report them):
 *   (output − reasoning) × output rate + reasoning × reasoning rate. A price entry without a
 *   reasoning rate bills reasoning at the output rate, so the total equals output × output rate.
 * - A missing cached / cache-write rate falls back to the plain input rate (what the provider
 *   bills when it publishes no discount).
 */

export type TokenUsage = {
  inputTokens: number;
  cachedInputTokens: number;
  cacheWriteTokens: number;
  outputTokens: number;
  reasoningTokens: number;
};

/** USD per 1M tokens, as decimal strings or numbers (Prisma Decimal / pg numeric arrive as strings). */
export type TokenRates = {
  inputPer1m: string | number;
  cachedInputPer1m: string | number | null;
  cacheWritePer1m: string | number | null;
  outputPer1m: string | number;
  reasoningPer1m: string | number | null;
};

/** Scale of the returned cost (numeric(20,10) in llm_calls.cost_usd). */
const COST_SCALE = 10;
/** Rates are stored with 6 decimals (numeric(14,6)); as integers of 1e-6 USD per 1M tokens. */
const RATE_SCALE = 6;

function toScaledInt(value: string | number, scale: number): bigint {
  const text = typeof value === "number" ? value.toFixed(scale) : value.trim();
  const match = /^(-?)(\d*)(?:\.(\d*))?$/.exec(text);
  if (!match) throw new Error(`not a decimal: ${text}`);
  const [, sign, whole = "", frac = ""] = match;
  const digits = (whole || "0") + frac.padEnd(scale, "0").slice(0, scale);
  const n = BigInt(digits);
  return sign === "-" ? -n : n;
}

/** A scaled integer (units of 10^-scale) as a decimal string. */
function fromScaledInt(n: bigint, scale: number): string {
  const negative = n < 0n;
  const abs = (negative ? -n : n).toString().padStart(scale + 1, "0");
  const text = `${abs.slice(0, -scale)}.${abs.slice(-scale)}`;
  return negative ? `-${text}` : text;
}

/**
 * Cost in USD as a decimal string with COST_SCALE decimals (rounded half up). The product
 * tokens × (USD per 1M tokens × 10^6) is in units of 10^-12 USD, exact in bigint.
 */
export function computeCost(usage: TokenUsage, rates: TokenRates): string {
  const input = toScaledInt(rates.inputPer1m, RATE_SCALE);
  const cached = rates.cachedInputPer1m === null ? input : toScaledInt(rates.cachedInputPer1m, RATE_SCALE);
  const cacheWrite = rates.cacheWritePer1m === null ? input : toScaledInt(rates.cacheWritePer1m, RATE_SCALE);
  const output = toScaledInt(rates.outputPer1m, RATE_SCALE);
  const reasoning = rates.reasoningPer1m === null ? output : toScaledInt(rates.reasoningPer1m, RATE_SCALE);

  const cachedTokens = BigInt(Math.min(usage.cachedInputTokens, usage.inputTokens));
  const writeTokens = BigInt(Math.min(usage.cacheWriteTokens, usage.inputTokens - Number(cachedTokens)));
  const plainInput = BigInt(usage.inputTokens) - cachedTokens - writeTokens;
  const reasoningTokens = BigInt(Math.min(usage.reasoningTokens, usage.outputTokens));
  const plainOutput = BigInt(usage.outputTokens) - reasoningTokens;

  const picoUsd = plainInput * input + cachedTokens * cached + writeTokens * cacheWrite + plainOutput * output + reasoningTokens * reasoning;
  const drop = 10n ** BigInt(12 - COST_SCALE);
  return fromScaledInt((picoUsd + drop / 2n) / drop, COST_SCALE);
}
