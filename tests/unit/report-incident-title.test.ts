import { describe, expect, it } from "vitest";
import { incidentTitle } from "@/server/reports/render";

const base = { severity: "warning", startedAt: new Date("2026-11-17T10:01:00Z"), resolvedAt: null };
const budget = "LLM budget — LLM spend reached 100% of the $20 monthly budget ($21.40 this month)";

describe("weekly report incident titles", () => {
  it("owners read the title as it fired; readers without spend:read get the stored amount-free one", () => {
    const i = { ...base, title: budget, titleWithoutSpend: "LLM budget — LLM spend reached 100% of the monthly budget (amounts hidden: needs spend:read)" };
    expect(incidentTitle(i, true)).toBe(budget);
    expect(incidentTitle(i, false)).toBe(i.titleWithoutSpend);
  });

  it("incidents not about spend read the same for everyone", () => {
    const i = { ...base, title: "checkout errors — error_count 12 (threshold above 5 over 10 min)", titleWithoutSpend: null };
    expect(incidentTitle(i, false)).toBe(i.title);
  });

  it("a report stored before amount-free titles were kept shows readers without spend:read only the rule's name", () => {
    const shown = incidentTitle({ ...base, title: budget }, false);
    expect(shown).toBe("LLM budget — (amounts hidden: needs spend:read)");
    expect(shown).not.toContain("$");
  });
});
