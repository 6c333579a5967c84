import { computeCost, type TokenUsage } from "./cost";
import { matchPrice, type PriceEntry } from "./match";

export type PricedCost = {
  costUsd: string | null;
  costSource: "client" | "table" | "none";
  priceId: string | null;
  priceVersion: number | null;
};

/**
 * Prices one call: a cost sent by the client wins (it knows its contract); else the matching
 * price entry; else no cost (`none`), so unknown models are visible rather than silently $0.
 */
export function priceLlmCall(
  table: PriceEntry[],
  call: TokenUsage & { model: string; provider?: string | null; at: Date; costUsd?: number | null },
): PricedCost {
  if (call.costUsd !== undefined && call.costUsd !== null) {
    return { costUsd: call.costUsd.toFixed(10), costSource: "client", priceId: null, priceVersion: null };
  }
  const price = matchPrice(table, call);
  if (!price) return { costUsd: null, costSource: "none", priceId: null, priceVersion: null };
  return { costUsd: computeCost(call, price), costSource: "table", priceId: price.id, priceVersion: price.version };
}
