/**
 * Price matching (pure): case-insensitive regular expression on the model name (also tried as
 * "provider/model"), so dated variants resolve to their family. A matching project override
 * beats any built-in; among the rows of that level the newest `effective_from` not after the
 * call's time wins; a call older than every matching row uses the oldest one.
 */
import { compileUserPattern, type UserPattern } from "../patterns/user-pattern";
import type { TokenRates } from "./cost";

export type PriceEntry = TokenRates & {
  id: string;
  projectId: string | null;
  provider: string;
  model: string;
  matchPattern: string;
  effectiveFrom: Date;
  version: number;
  regex: UserPattern | null;
};

/**
 * Compiles a stored pattern in the linear-time engine (tenants write these); a Langfuse-style
 * leading `(?i)` is accepted, and matching is always case-insensitive.
 */
export function compilePricePattern(pattern: string): UserPattern {
  return compileUserPattern(pattern, { caseInsensitive: true });
}

export function safeCompile(pattern: string): UserPattern | null {
  try {
    return compilePricePattern(pattern);
  } catch {
    return null;
  }
}

function newestEffective(entries: PriceEntry[], at: Date): PriceEntry | null {
  let best: PriceEntry | null = null;
  for (const e of entries) {
    if (e.effectiveFrom.getTime() <= at.getTime() && (!best || e.effectiveFrom > best.effectiveFrom)) best = e;
  }
  return best;
}

function oldest(entries: PriceEntry[]): PriceEntry | null {
  return entries.reduce<PriceEntry | null>((best, e) => (!best || e.effectiveFrom < best.effectiveFrom ? e : best), null);
}

export function matchPrice(table: PriceEntry[], { model, provider, at }: { model: string; provider?: string | null; at: Date }): PriceEntry | null {
  const names = provider ? [model, `${provider}/${model}`] : [model];
  const matching = table.filter((e) => e.regex && names.some((n) => e.regex!.test(n)));
  const own = matching.filter((e) => e.projectId !== null);
  const builtIn = matching.filter((e) => e.projectId === null);
  return newestEffective(own, at) ?? newestEffective(builtIn, at) ?? oldest(own) ?? oldest(builtIn);
}
