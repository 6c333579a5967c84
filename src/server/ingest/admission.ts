/**
 * Admission control for ingest: at most `maxActive` batches are read, validated and written at once
 * (more would only queue on the database pool), up to `maxQueued` wait for a slot for at most
 * `maxWaitMs`, and the rest are refused at once — before their bodies are read — so that overload
 * answers 503 + Retry-After in milliseconds instead of timing out, and memory stays bounded by
 * (maxActive + maxQueued) bodies.
 */
export type Admission = {
  /** A release function, or null when the portal is too busy (answer 503). */
  acquire(): Promise<(() => void) | null>;
  readonly active: number;
  readonly queued: number;
};

export function createAdmission(options: { maxActive: number; maxQueued: number; maxWaitMs: number }): Admission {
  let active = 0;
  const queue: Array<{ admit: (release: () => void) => void }> = [];

  const release = () => {
    const next = queue.shift();
    if (next) next.admit(once());
    else active--;
  };
  const once = () => {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      release();
    };
  };

  return {
    get active() {
      return active;
    },
    get queued() {
      return queue.length;
    },
    acquire() {
      if (active < options.maxActive) {
        active++;
        return Promise.resolve(once());
      }
      if (queue.length >= options.maxQueued) return Promise.resolve(null);
      return new Promise((resolve) => {
        const entry = {
          admit: (granted: () => void) => {
            clearTimeout(timer);
            resolve(granted);
          },
        };
        const timer = setTimeout(() => {
          queue.splice(queue.indexOf(entry), 1);
          resolve(null);
        }, options.maxWaitMs);
        queue.push(entry);
      });
    },
  };
}
