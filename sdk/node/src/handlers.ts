/**
 * The handler table shared by every logger (`logger`, its `bind` children and `opt` views):
 * `add` returns an id, `remove(id)` takes it out. The lowest accepted level is kept so a call
 * below every handler's level returns after one comparison.
 */
import { levelNo as toLevelNo, type LevelName } from "./levels.js";
import { plainFormat, prettyFormat, serializeRecord, templateFormatter, type Formatter, type LogRecord } from "./record.js";

/** A sink: a function, a writable (process.stderr, a file stream) or an object from `fileSink`. */
export type SinkFunction = (line: string, record: LogRecord) => void;
export type SinkObject = {
  write(line: string, record: LogRecord): unknown;
  flush?(): unknown;
  close?(): unknown;
  /** A sink that takes the record itself (the Sightline transport): no text is formatted for it. */
  readonly wantsRecord?: boolean;
};
export type Sink = SinkFunction | SinkObject | NodeJS.WritableStream;

/** loguru's filters: a function, a logger-name prefix, or `{ name-prefix: level }` with "" as default. */
export type Filter = ((record: LogRecord) => boolean) | string | Record<string, LevelName | number | false>;

export type AddOptions = {
  level?: LevelName | number;
  filter?: Filter;
  /** A template (`"{time} {level} {message}"`) or a function of the record. */
  format?: string | Formatter;
  /** JSON lines instead of text. */
  serialize?: boolean;
  /** Colours for the default text format (the console sink turns it on for terminals). */
  colorize?: boolean;
};

type Handler = { id: number; levelNo: number; accepts: (r: LogRecord) => boolean; emit: (r: LogRecord) => void; sink: Sink };

function compileFilter(filter: Filter | undefined): (r: LogRecord) => boolean {
  if (filter === undefined) return () => true;
  if (typeof filter === "function") return filter;
  if (typeof filter === "string") return (r) => filter === "" || (r.name !== undefined && (r.name === filter || r.name.startsWith(`${filter}.`)));
  const entries = Object.entries(filter)
    .map(([prefix, level]) => [prefix, level === false ? Infinity : toLevelNo(level)] as const)
    .sort((a, b) => b[0].length - a[0].length);
  return (r) => {
    for (const [prefix, min] of entries) {
      if (prefix === "" || (r.name !== undefined && (r.name === prefix || r.name.startsWith(`${prefix}.`)))) return r.levelNo >= min;
    }
    return true;
  };
}

function isWritable(sink: Sink): sink is NodeJS.WritableStream {
  return typeof sink === "object" && sink !== null && typeof (sink as NodeJS.WritableStream).write === "function" && "writable" in sink;
}

export class Handlers {
  private list: Handler[] = [];
  private nextId = 0;
  /** Lowest level any handler accepts; Infinity with no handlers. */
  minLevel = Infinity;

  add(sink: Sink, options: AddOptions = {}): number {
    const formatter: Formatter = options.serialize
      ? serializeRecord
      : typeof options.format === "function"
        ? options.format
        : typeof options.format === "string"
          ? templateFormatter(options.format)
          : options.colorize
            ? prettyFormat
            : plainFormat;
    let emit: (r: LogRecord) => void;
    if (typeof sink === "function") emit = (r) => sink(formatter(r), r);
    else if ((sink as SinkObject).wantsRecord) emit = (r) => void (sink as SinkObject).write("", r);
    else if (isWritable(sink)) emit = (r) => void sink.write(formatter(r));
    else emit = (r) => void (sink as SinkObject).write(formatter(r), r);
    const id = this.nextId++;
    const level = toLevelNo(options.level ?? "debug");
    this.list = [...this.list, { id, levelNo: level, accepts: compileFilter(options.filter), emit, sink }];
    this.recompute();
    return id;
  }

  /** Removes one handler, or all of them without an id; closes sinks that can close. */
  remove(id?: number): void {
    const removed = id === undefined ? this.list : this.list.filter((h) => h.id === id);
    if (id !== undefined && removed.length === 0) throw new Error(`There is no sink with id ${id}`);
    this.list = id === undefined ? [] : this.list.filter((h) => h.id !== id);
    this.recompute();
    for (const h of removed) {
      const s = h.sink as SinkObject;
      if (typeof s === "object" && typeof s.close === "function" && !isWritable(h.sink)) void Promise.resolve().then(() => s.close!()).catch(() => {});
    }
  }

  wants(levelNo: number): boolean {
    return levelNo >= this.minLevel;
  }

  dispatch(record: LogRecord): void {
    for (const h of this.list) {
      if (record.levelNo < h.levelNo || !h.accepts(record)) continue;
      try {
        h.emit(record);
      } catch {
        // A failing sink never breaks the app or the other sinks.
      }
    }
  }

  async flush(): Promise<void> {
    await Promise.all(this.list.map(async (h) => {
      const s = h.sink as SinkObject;
      if (typeof s === "object" && typeof s.flush === "function" && !isWritable(h.sink)) await s.flush();
    }));
  }

  private recompute(): void {
    this.minLevel = this.list.reduce((min, h) => Math.min(min, h.levelNo), Infinity);
  }
}
