/**
 * loguru's rotation and retention specs: sizes ("100 MB"), durations ("1 day", "12 h"),
 * a time of day ("00:00"), a weekday ("monday", "sunday at 03:00"), or a function.
 */
export type FileState = { size: number; openedAt: number };
export type RotationSpec = string | number | ((line: string, file: FileState) => boolean);
export type RetentionSpec = string | number | ((files: string[]) => string[]);

const SIZE_UNITS: Record<string, number> = { b: 1, kb: 1e3, mb: 1e6, gb: 1e9, kib: 1024, mib: 1024 ** 2, gib: 1024 ** 3 };
const DURATION_UNITS: Record<string, number> = {
  s: 1e3, sec: 1e3, second: 1e3, seconds: 1e3, m: 6e4, min: 6e4, minute: 6e4, minutes: 6e4,
  h: 36e5, hour: 36e5, hours: 36e5, d: 864e5, day: 864e5, days: 864e5, w: 6048e5, week: 6048e5, weeks: 6048e5,
};
const WEEKDAYS = ["sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"];

export function parseSize(spec: string): number | null {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([kmg]i?b|b)\s*$/i.exec(spec);
  return m ? Math.floor(Number(m[1]) * SIZE_UNITS[m[2]!.toLowerCase()]!) : null;
}

export function parseDuration(spec: string): number | null {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([a-z]+)\s*$/i.exec(spec);
  const unit = m ? DURATION_UNITS[m[2]!.toLowerCase()] : undefined;
  return m && unit ? Number(m[1]) * unit : null;
}

/** The next local time after `from` at hh:mm, on `weekday` (0 = Sunday) when given. */
export function nextAt(from: number, hour: number, minute: number, weekday?: number): number {
  const d = new Date(from);
  d.setHours(hour, minute, 0, 0);
  if (weekday === undefined) {
    if (d.getTime() <= from) d.setDate(d.getDate() + 1);
    return d.getTime();
  }
  let add = (weekday - d.getDay() + 7) % 7;
  if (add === 0 && d.getTime() <= from) add = 7;
  d.setDate(d.getDate() + add);
  return d.getTime();
}

/** A predicate deciding, before writing `line`, whether to rotate first. Throws on a spec it cannot read. */
export function compileRotation(spec: RotationSpec): (line: string, file: FileState, now: number) => boolean {
  if (typeof spec === "function") return (line, file) => spec(line, file);
  if (typeof spec === "number") return (line, file) => file.size > 0 && file.size + Buffer.byteLength(line) > spec;
  const size = parseSize(spec);
  if (size !== null) return (line, file) => file.size > 0 && file.size + Buffer.byteLength(line) > size;
  const duration = parseDuration(spec);
  if (duration !== null) return (_line, file, now) => now - file.openedAt >= duration;
  const at = /^\s*(?:([a-z]+)\s*(?:at\s*)?)?(?:(\d{1,2}):(\d{2}))?\s*$/i.exec(spec);
  if (at && (at[1] || at[2])) {
    const weekday = at[1] ? WEEKDAYS.indexOf(at[1].toLowerCase()) : undefined;
    if (weekday === -1) throw new Error(`Cannot read rotation "${spec}"`);
    const hour = at[2] ? Number(at[2]) : 0;
    const minute = at[3] ? Number(at[3]) : 0;
    let boundary: number | null = null;
    return (_line, file, now) => {
      boundary ??= nextAt(file.openedAt, hour, minute, weekday);
      if (now < boundary) return false;
      boundary = null;
      return true;
    };
  }
  throw new Error(`Cannot read rotation "${spec}": use a size ("100 MB"), a duration ("1 day"), a time ("00:00"), a weekday or a function`);
}

/** Which of the rotated files (oldest first) to delete. */
export function compileRetention(spec: RetentionSpec): (files: { path: string; mtimeMs: number }[], now: number) => string[] {
  if (typeof spec === "function") return (files) => spec(files.map((f) => f.path));
  if (typeof spec === "number") return (files) => files.slice(0, Math.max(0, files.length - spec)).map((f) => f.path);
  const duration = parseDuration(spec);
  if (duration === null) throw new Error(`Cannot read retention "${spec}": use a count (10) or a duration ("7 days")`);
  return (files, now) => files.filter((f) => now - f.mtimeMs > duration).map((f) => f.path);
}
