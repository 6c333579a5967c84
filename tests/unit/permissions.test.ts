import { describe, expect, it } from "vitest";
import { ACTIONS, assignableRoles, can, ROLES } from "@/server/auth/permissions";

describe("can(role, action)", () => {
  it("gives owners everything and nobody without a role anything", () => {
    for (const action of ACTIONS) {
      expect(can("owner", action)).toBe(true);
      expect(can(null, action)).toBe(false);
    }
  });

  it("orders roles: every permission of a lower role is held by the higher ones", () => {
    for (let i = 1; i < ROLES.length; i++) {
      for (const action of ACTIONS) {
        if (can(ROLES[i]!, action)) expect(can(ROLES[i - 1]!, action), `${ROLES[i - 1]} ${action}`).toBe(true);
      }
    }
  });

  it.each([
    ["viewer", "apiKeys:create", false],
    ["viewer", "apiKeys:read", false],
    ["viewer", "data:read", true],
    ["member", "apiKeys:read", true],
    ["member", "apiKeys:create", false],
    ["member", "members:invite", false],
    ["admin", "members:invite", true],
    ["admin", "audit:read", true],
    ["member", "audit:read", false],
    ["admin", "org:delete", false],
  ] as const)("%s may %s: %s", (role, action, allowed) => {
    expect(can(role, action)).toBe(allowed);
  });

  it("lets nobody hand out a role above their own", () => {
    expect(assignableRoles("admin")).not.toContain("owner");
    expect(assignableRoles("member")).toEqual([]);
    expect(assignableRoles("owner")).toContain("owner");
  });
});
