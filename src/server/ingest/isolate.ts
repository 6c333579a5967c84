/**
 * A batch whose write fails on a value Postgres refuses (a data exception: a number out of range,
 * a value too large for an index) is split in halves and written again, down to the single events
 * that cannot be stored; those are rejected with the database's reason and every other event is
 * stored. Any other failure (the database unreachable, a timeout) still fails the whole call, so
 * the client retries it. Clean batches cost one write, as before.
 */
import type { DbPool } from "@/server/db/sql";
import { writeBatch, type PreparedBatch } from "./write";

/** `of`: the input event a derived row belongs to (a request's server span); they stand or fall together. */
type Row = { e: object; of?: object };
type Unstorable = { event: object; reason: string };

const TABLES = ["logs", "requests", "errors", "llm", "spans", "metrics", "events", "audit"] as const satisfies readonly (keyof PreparedBatch)[];

/** SQLSTATE class 22 (data exception), 54000 (program limit exceeded), 23514 (check violation). */
function isUnstorableValueError(error: unknown): error is Error & { code: string } {
  const code = (error as { code?: unknown })?.code;
  return typeof code === "string" && (code.startsWith("22") || code === "54000" || code === "23514");
}

const inputOf = (r: Row): object => r.of ?? r.e;
const rowsOf = (batch: PreparedBatch): Row[] => TABLES.flatMap((t) => batch[t] as Row[]);

function only(batch: PreparedBatch, keep: Set<object>): PreparedBatch {
  const out = {} as Record<keyof PreparedBatch, Row[]>;
  for (const t of TABLES) out[t] = (batch[t] as Row[]).filter((r) => keep.has(inputOf(r)));
  return out as unknown as PreparedBatch;
}

export async function writeIsolatingUnstorable(db: DbPool, projectId: string, batch: PreparedBatch): Promise<Unstorable[]> {
  try {
    await writeBatch(db, projectId, batch);
    return [];
  } catch (error) {
    if (!isUnstorableValueError(error)) throw error;
    const events = [...new Set(rowsOf(batch).map(inputOf))];
    if (events.length === 1) return [{ event: events[0]!, reason: error.message }];
    const half = Math.ceil(events.length / 2);
    const first = await writeIsolatingUnstorable(db, projectId, only(batch, new Set(events.slice(0, half))));
    const second = await writeIsolatingUnstorable(db, projectId, only(batch, new Set(events.slice(half))));
    return [...first, ...second];
  }
}
