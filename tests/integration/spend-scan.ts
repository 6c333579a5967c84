/**
 * The spend guard's deep scan: where in an answer money could be, for callers without `spend:read`.
 * Used by the dashboards' and the alerts' spend-guard tests.
 */
const MONEY_KEY = /cost|usd|spend|price|projection|mostExpensive/i;

/** Paths of every object key naming money, at any depth (a boolean such as `canSeeSpend` is not money). */
export function moneyKeys(value: unknown, path = "$"): string[] {
  if (Array.isArray(value)) return value.flatMap((v, i) => moneyKeys(v, `${path}[${i}]`));
  if (value && typeof value === "object" && !(value instanceof Date))
    return Object.entries(value).flatMap(([k, v]) => [
      ...(MONEY_KEY.test(k) && typeof v !== "boolean" ? [`${path}.${k}`] : []),
      ...moneyKeys(v, `${path}.${k}`),
    ]);
  return [];
}

/**
 * Paths of every value that shows money, at any depth: a string with a dollar amount, or a number
 * (alone, or written in a string as `String(n)` or `n.toFixed(2)`) that is one of `amounts`.
 */
export function moneyValues(value: unknown, amounts: number[], path = "$"): string[] {
  if (Array.isArray(value)) return value.flatMap((v, i) => moneyValues(v, amounts, `${path}[${i}]`));
  if (value instanceof Date) return [];
  if (value && typeof value === "object") return Object.entries(value).flatMap(([k, v]) => moneyValues(v, amounts, `${path}.${k}`));
  if (typeof value === "number") return amounts.includes(value) ? [`${path} = ${value}`] : [];
  if (typeof value === "string") {
    const shown = /\$\s*\d/.test(value) || amounts.some((a) => value.includes(String(a)) || value.includes(a.toFixed(2)));
    return shown ? [`${path} = ${JSON.stringify(value)}`] : [];
  }
  return [];
}
