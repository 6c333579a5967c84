/**
 * The demo's triage: when the release that fixes the regressed error ships, the demo user resolves
 * its group the way a person does in the UI — through the errors router (role-checked, audited as
 * `error_group.resolved` by that user) — so that ingest marks the group regressed when the error
 * comes back.
 */
import { randomUUID } from "node:crypto";
import { createCaller } from "../../src/server/api/root";
import type { SessionUser } from "../../src/server/auth/session-user";
import { REGRESSION } from "./traffic";

type Caller = ReturnType<typeof createCaller>;

/** A tRPC caller acting as `user`, as the portal builds one for a signed-in request. */
export const callerAs = (user: SessionUser, userAgent = "seed-demo"): Caller =>
  createCaller({ user, ip: null, userAgent, requestId: randomUUID(), origin: null });

const LOOKBACK_MS = 31 * 86_400_000;

/**
 * `onRelease` for sendDemoTraffic: at the fixing release, resolves the regression's open group.
 * A group already regressed (a re-run of the seed) is left as it is.
 */
export function resolveRegressionWhenFixed(caller: Caller, where: { orgSlug: string; projectSlug: string }) {
  return async (release: string) => {
    if (release !== REGRESSION.fixedIn) return;
    const to = new Date();
    const { groups } = await caller.dashboards.errors.list({
      ...where,
      from: new Date(to.getTime() - LOOKBACK_MS),
      to,
      timeZone: "UTC",
      filters: {},
      status: "unresolved",
      limit: 200,
    });
    const group = groups.find((g) => g.type === REGRESSION.type && g.substatus !== "regressed");
    if (group) await caller.dashboards.errors.setStatus({ ...where, groupId: group.id, status: "resolved" });
  };
}
