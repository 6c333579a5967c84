import type { IngestEventInput } from "../schemas";

/**
 * The result of mapping one OTLP export request: the ingest events to store, and for each event
 * the OTLP item (span, log record or data point) it came from. An item's PRIMARY event is its
 * span/log/metric; derived events (LLM calls and errors from a span, errors from a log record)
 * ride along. `invalid` lists items that could not be mapped at all.
 */
export type MappedBatch = {
  itemCount: number;
  events: IngestEventInput[];
  origins: { item: number; primary: boolean }[];
  invalid: { item: number; message: string }[];
};

export function emptyMappedBatch(): MappedBatch {
  return { itemCount: 0, events: [], origins: [], invalid: [] };
}

export function addEvent(batch: MappedBatch, item: number, event: IngestEventInput, primary: boolean): void {
  batch.events.push(event);
  batch.origins.push({ item, primary });
}

/** Flattens zod issues into one line: `traceId: Invalid input; startTimeUnixNano: …`. */
export function describeIssues(issues: { path: PropertyKey[]; message: string }[]): string {
  return issues
    .slice(0, 3)
    .map((i) => (i.path.length ? `${i.path.map(String).join(".")}: ${i.message}` : i.message))
    .join("; ");
}
