/**
 * Per-event validation: the zod schema, then the timestamp window. A failure becomes a
 * rejection with paths and reasons; it never affects the other events of the batch.
 */
import type { ZodError, z } from "zod";
import { ZIngestEvent, type IngestEvent } from "./schemas";

export type FieldError = { path: string; message: string };
export type RejectedEvent = { index: number; id?: string; errors: FieldError[] };
export type ValidEvent = { index: number; event: IngestEvent; time: Date; endTime?: Date };

type TimeWindow = { receivedAt: Date; maxPastSeconds: number; maxFutureSeconds: number };

/** ISO strings as given; numbers as epoch milliseconds (values below 10^11 are taken as seconds). */
function toDate(value: string | number | undefined, fallback: Date): Date {
  if (value === undefined) return fallback;
  if (typeof value === "number") return new Date(Math.abs(value) < 1e11 ? value * 1000 : value);
  return new Date(value);
}

function zodErrors(error: ZodError): FieldError[] {
  return error.issues.slice(0, 20).map((issue) => ({
    path: issue.path.map(String).join(".") || "(event)",
    message: issue.message,
  }));
}

/** A field that is absent says "is required (string)" rather than zod's "expected string, received undefined". */
const missingField: z.core.$ZodErrorMap = (issue) =>
  issue.code === "invalid_type" && issue.input === undefined ? `is required (${issue.expected})` : undefined;

function windowError(path: string, time: Date, window: TimeWindow): FieldError | null {
  const t = time.getTime();
  if (Number.isNaN(t)) return { path, message: "is not a valid time" };
  const now = window.receivedAt.getTime();
  if (t < now - window.maxPastSeconds * 1000) {
    return { path, message: `is more than ${window.maxPastSeconds} seconds in the past` };
  }
  if (t > now + window.maxFutureSeconds * 1000) {
    return { path, message: `is more than ${window.maxFutureSeconds} seconds in the future` };
  }
  return null;
}

function clientId(raw: unknown): string | undefined {
  if (raw && typeof raw === "object" && "id" in raw) {
    const id = (raw as { id: unknown }).id;
    if (typeof id === "string" && id.length <= 128) return id;
  }
  return undefined;
}

export function validateEvents(rawEvents: unknown[], window: TimeWindow): { valid: ValidEvent[]; rejected: RejectedEvent[] } {
  const valid: ValidEvent[] = [];
  const rejected: RejectedEvent[] = [];
  rawEvents.forEach((raw, index) => {
    const reject = (errors: FieldError[]) => {
      const id = clientId(raw);
      rejected.push(id === undefined ? { index, errors } : { index, id, errors });
    };
    const parsed = ZIngestEvent.safeParse(raw, { error: missingField });
    if (!parsed.success) return reject(zodErrors(parsed.error));
    const event = parsed.data;
    if (event.type === "span") {
      const start = toDate(event.startTime, window.receivedAt);
      const end = toDate(event.endTime, window.receivedAt);
      const errors = [windowError("startTime", start, window), windowError("endTime", end, window)].filter((e) => e !== null);
      if (!errors.length && end < start) errors.push({ path: "endTime", message: "is before startTime" });
      if (errors.length) return reject(errors);
      return void valid.push({ index, event, time: start, endTime: end });
    }
    const time = toDate(event.timestamp, window.receivedAt);
    const error = windowError("timestamp", time, window);
    if (error) return reject([error]);
    if (event.type === "request" && event.span) {
      // The server span derived from it ends when the request did.
      const end = new Date(time.getTime() + event.durationMs);
      if (windowError("durationMs", end, window)) {
        return reject([{ path: "durationMs", message: "ends the request's span outside the accepted time window (timestamp is its start)" }]);
      }
      return void valid.push({ index, event, time, endTime: end });
    }
    valid.push({ index, event, time });
  });
  return { valid, rejected };
}
