import { describe, expect, it } from "vitest";
import { createAdmission } from "@/server/ingest/admission";

const tick = () => new Promise((r) => setTimeout(r, 0));

describe("ingest admission", () => {
  it("admits up to maxActive at once, queues up to maxQueued in order, refuses the rest at once", async () => {
    const admission = createAdmission({ maxActive: 2, maxQueued: 1, maxWaitMs: 10_000 });
    const first = await admission.acquire();
    const second = await admission.acquire();
    expect(first && second).toBeTruthy();
    const queued = admission.acquire();
    expect(await admission.acquire()).toBeNull();
    expect({ active: admission.active, queued: admission.queued }).toEqual({ active: 2, queued: 1 });
    first!();
    const third = await queued;
    expect(third).toBeTypeOf("function");
    expect({ active: admission.active, queued: admission.queued }).toEqual({ active: 2, queued: 0 });
    second!();
    third!();
    expect(admission.active).toBe(0);
  });

  it("gives up on a queued request after maxWaitMs, and a release counts once however often it is called", async () => {
    const admission = createAdmission({ maxActive: 1, maxQueued: 5, maxWaitMs: 20 });
    const held = (await admission.acquire())!;
    const waiting = admission.acquire();
    expect(await waiting).toBeNull();
    expect(admission.queued).toBe(0);
    held();
    held();
    await tick();
    expect(admission.active).toBe(0);
    const again = await admission.acquire();
    expect(again).toBeTypeOf("function");
    expect(admission.active).toBe(1);
  });
});
