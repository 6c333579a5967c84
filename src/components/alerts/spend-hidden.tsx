/**
 * How the alerts pages show LLM spend withheld by the server from roles without `spend:read`
 * (src/server/alerts/spend.ts): a short note, and "hidden" where an amount would be.
 */
export function SpendHiddenNote() {
  return (
    <p className="mb-3 rounded-md bg-gray-50 px-3 py-2 text-xs text-gray-600" data-testid="spend-hidden">
      LLM spend amounts are hidden: your role does not have the spend permission in this organisation, so budgets and spend rules are read-only for you.
    </p>
  );
}

export function HiddenAmount() {
  return (
    <span className="text-gray-400" title="Needs the spend permission (spend:read)">
      hidden
    </span>
  );
}
