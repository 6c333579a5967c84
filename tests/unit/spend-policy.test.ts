import { describe, expect, it } from "vitest";
import { can } from "@/server/auth/permissions";

describe("can(role, 'spend:read', policy)", () => {
  it("follows the organisation's spend roles, and owners always keep spend", () => {
    const policy = { spendReadRoles: ["owner", "admin"] as const };
    expect(can("admin", "spend:read", { spendReadRoles: [...policy.spendReadRoles] })).toBe(true);
    expect(can("member", "spend:read", { spendReadRoles: ["owner", "admin"] })).toBe(false);
    expect(can("viewer", "spend:read", { spendReadRoles: ["owner", "admin"] })).toBe(false);
    expect(can("owner", "spend:read", { spendReadRoles: [] })).toBe(true);
    expect(can("viewer", "spend:read")).toBe(true);
    expect(can("viewer", "data:read", { spendReadRoles: [] })).toBe(true);
  });
});
