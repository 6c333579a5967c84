/**
 * The alert state machine for one series, as a pure function: ok → pending (condition true, the
 * `for` period not over) → firing → ok again (resolved). Notifications follow Alertmanager's
 * dedup: notify when something starts firing, when it resolves after a firing notice was sent,
 * otherwise only once the repeat interval has passed; a silenced series changes state but
 * notifies nobody, and when the silence ends a still-firing series is notified then.
 */
export type SeriesState = {
  state: "ok" | "pending" | "firing";
  pendingSince: Date | null;
  firingSince: Date | null;
  lastNotifiedAt: Date | null;
  notifiedFiring: boolean;
};

export const INITIAL_STATE: SeriesState = { state: "ok", pendingSince: null, firingSince: null, lastNotifiedAt: null, notifiedFiring: false };

export type Observation =
  /** `breach`: condition true; `clear`: resolved by the resolve threshold (= !breach without one). */
  | { kind: "value"; breach: boolean; clear: boolean }
  /** No data and the rule keeps the last state. */
  | { kind: "keep" };

export type Step = {
  next: SeriesState;
  /** What happened: drives the incident timeline and the outbox. */
  transition: "none" | "pending" | "pending_cleared" | "firing" | "resolved";
  notify: "firing" | "repeat" | "resolved" | null;
  suppressed: boolean;
};

export function stepSeries(prev: SeriesState, obs: Observation, rule: { forMs: number; repeatMs: number | null }, now: Date, silenced: boolean): Step {
  if (obs.kind === "keep") return { next: prev, transition: "none", notify: null, suppressed: false };
  const t = now.getTime();
  const fire = (from: SeriesState): Step => ({
    next: {
      state: "firing",
      pendingSince: from.pendingSince,
      firingSince: now,
      lastNotifiedAt: silenced ? from.lastNotifiedAt : now,
      notifiedFiring: !silenced,
    },
    transition: "firing",
    notify: silenced ? null : "firing",
    suppressed: silenced,
  });
  if (prev.state === "firing") {
    if (obs.clear) {
      const notify = prev.notifiedFiring && !silenced ? "resolved" : null;
      return {
        next: { ...INITIAL_STATE, lastNotifiedAt: notify ? now : prev.lastNotifiedAt },
        transition: "resolved",
        notify,
        suppressed: prev.notifiedFiring && silenced,
      };
    }
    if (silenced) return { next: prev, transition: "none", notify: null, suppressed: false };
    if (!prev.notifiedFiring) return { next: { ...prev, notifiedFiring: true, lastNotifiedAt: now }, transition: "none", notify: "firing", suppressed: false };
    const due = rule.repeatMs !== null && prev.lastNotifiedAt !== null && t - prev.lastNotifiedAt.getTime() >= rule.repeatMs;
    return due
      ? { next: { ...prev, lastNotifiedAt: now }, transition: "none", notify: "repeat", suppressed: false }
      : { next: prev, transition: "none", notify: null, suppressed: false };
  }
  if (!obs.breach) {
    return prev.state === "pending"
      ? { next: { ...INITIAL_STATE, lastNotifiedAt: prev.lastNotifiedAt }, transition: "pending_cleared", notify: null, suppressed: false }
      : { next: prev, transition: "none", notify: null, suppressed: false };
  }
  if (prev.state === "pending") {
    return t - prev.pendingSince!.getTime() >= rule.forMs ? fire(prev) : { next: prev, transition: "none", notify: null, suppressed: false };
  }
  if (rule.forMs === 0) return fire({ ...prev, pendingSince: now });
  return { next: { ...prev, state: "pending", pendingSince: now }, transition: "pending", notify: null, suppressed: false };
}
