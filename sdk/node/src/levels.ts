/**
 * loguru's levels and numbers (TRACE 5 … CRITICAL 50), named as JavaScript loggers name them.
 * The portal stores trace/debug/info/warn/error/fatal; SUCCESS (25) has no portal level and is
 * sent as `info` with `attributes.level = "success"` so it stays searchable.
 */
export const LEVELS = { trace: 5, debug: 10, info: 20, success: 25, warn: 30, error: 40, fatal: 50 } as const;
export type LevelName = keyof typeof LEVELS;
export type PortalLogLevel = "trace" | "debug" | "info" | "warn" | "error" | "fatal";

export const LEVEL_NAMES = Object.keys(LEVELS) as LevelName[];

export function isLevelName(value: unknown): value is LevelName {
  return typeof value === "string" && Object.prototype.hasOwnProperty.call(LEVELS, value);
}

/** A level name or number → its number; unknown names throw (a typo should fail at `add`, not silently log nothing). */
export function levelNo(level: LevelName | number): number {
  if (typeof level === "number") return level;
  if (!isLevelName(level)) throw new Error(`Unknown log level "${String(level)}"; use one of ${LEVEL_NAMES.join(", ")}`);
  return LEVELS[level];
}

export function portalLevel(level: LevelName): PortalLogLevel {
  return level === "success" ? "info" : level;
}
