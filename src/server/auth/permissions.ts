/**
 * The one permission function. Server (tRPC procedures, route handlers) and UI (which
 * controls to show) both ask `can(role, action)`. The matrix is written down in README.md.
 */
export const ROLES = ["owner", "admin", "member", "viewer"] as const;
export type Role = (typeof ROLES)[number];

export const ACTIONS = [
  "org:read",
  "org:update",
  "org:delete",
  "members:read",
  "members:invite",
  "members:update",
  "members:remove",
  "projects:read",
  "projects:create",
  "projects:update",
  "projects:delete",
  "apiKeys:read",
  "apiKeys:create",
  "apiKeys:revoke",
  "audit:read",
  "data:read",
  "spend:read",
  "spend:manage",
  "errors:triage",
  "alerts:read",
  "alerts:write",
  "settings:update",
] as const;
export type Action = (typeof ACTIONS)[number];

const viewer: Action[] = ["org:read", "members:read", "projects:read", "data:read", "spend:read", "alerts:read"];
const member: Action[] = [...viewer, "apiKeys:read", "errors:triage", "alerts:write"];
const admin: Action[] = [
  ...member,
  "org:update",
  "members:invite",
  "members:update",
  "members:remove",
  "projects:create",
  "projects:update",
  "projects:delete",
  "apiKeys:create",
  "apiKeys:revoke",
  "audit:read",
  "settings:update",
];
const owner: Action[] = [...admin, "org:delete", "spend:manage"];

const MATRIX: Record<Role, ReadonlySet<Action>> = {
  owner: new Set(owner),
  admin: new Set(admin),
  member: new Set(member),
  viewer: new Set(viewer),
};

/**
 * Organisation settings that narrow the matrix: `spendReadRoles` lists the roles besides owners
 * that hold `spend:read` (owners always do, so nobody can lock the owners out of spend). Deciding
 * that list is `spend:manage`, an owner's action.
 */
export type PermissionPolicy = { spendReadRoles?: readonly Role[] | null };

export function can(role: Role | null | undefined, action: Action, policy?: PermissionPolicy): boolean {
  if (!role) return false;
  if (action === "spend:read" && role !== "owner" && policy?.spendReadRoles) return policy.spendReadRoles.includes(role);
  return MATRIX[role].has(action);
}

/** Roles a given role may hand out: nobody grants more than they hold. */
export function assignableRoles(role: Role): Role[] {
  if (role === "owner") return ["owner", "admin", "member", "viewer"];
  if (role === "admin") return ["admin", "member", "viewer"];
  return [];
}
