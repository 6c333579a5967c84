import { describe, expect, it } from "vitest";
import { INITIAL_STATE, stepSeries, type Observation, type SeriesState } from "@/server/alerts/state";

const M = 60_000;
const t0 = new Date("2026-01-05T10:00:00Z");
const at = (m: number) => new Date(t0.getTime() + m * M);
const breach: Observation = { kind: "value", breach: true, clear: false };
const ok: Observation = { kind: "value", breach: false, clear: true };

function run(observations: Array<Observation | [Observation, boolean]>, rule = { forMs: 0, repeatMs: (5 * M) as number | null }) {
  let s: SeriesState = INITIAL_STATE;
  return observations.map((o, i) => {
    const [obs, silenced] = Array.isArray(o) ? o : [o, false];
    const step = stepSeries(s, obs, rule, at(i), silenced);
    s = step.next;
    return step.notify ?? (step.suppressed ? "suppressed" : step.transition === "none" ? "-" : step.transition);
  });
}

describe("alert state machine", () => {
  it("fires once, repeats after the interval, resolves once", () => {
    expect(run([breach, breach, breach, breach, breach, breach, ok, ok])).toEqual(["firing", "-", "-", "-", "-", "repeat", "resolved", "-"]);
  });
  it("never repeats with a null repeat interval", () => {
    expect(run(Array(20).fill(breach), { forMs: 0, repeatMs: null }).filter((x) => x !== "-")).toEqual(["firing"]);
  });
  it("waits for the `for` period; a flap inside it notifies nobody", () => {
    expect(run([breach, breach, ok, breach, ok], { forMs: 3 * M, repeatMs: null })).toEqual(["pending", "-", "pending_cleared", "pending", "pending_cleared"]);
    expect(run([breach, breach, breach, breach], { forMs: 3 * M, repeatMs: null })).toEqual(["pending", "-", "-", "firing"]);
  });
  it("hysteresis: a firing series stays firing until the resolve condition clears", () => {
    const between: Observation = { kind: "value", breach: false, clear: false };
    expect(run([breach, between, between, ok], { forMs: 0, repeatMs: null })).toEqual(["firing", "-", "-", "resolved"]);
  });
  it("silences suppress, and a still-firing series is notified when the silence ends", () => {
    expect(run([[breach, true], [breach, true], breach, breach], { forMs: 0, repeatMs: null })).toEqual(["suppressed", "-", "firing", "-"]);
    expect(
      run(
        [
          [breach, true],
          [ok, true],
        ],
        { forMs: 0, repeatMs: null },
      ),
    ).toEqual(["suppressed", "resolved"]);
  });
  it("no data with `keep` keeps the state", () => {
    expect(run([breach, { kind: "keep" }, { kind: "keep" }, ok], { forMs: 0, repeatMs: null })).toEqual(["firing", "-", "-", "resolved"]);
  });
});
