/**
 * The console sink: coloured text on a terminal in development, plain text when piped, JSON
 * lines in production (`NODE_ENV=production`), to stdout. `SIGHTLINE_LOG_LEVEL` sets its level.
 */
import type { AddOptions, SinkObject } from "../handlers.js";
import { isLevelName } from "../levels.js";

export type ConsoleMode = "pretty" | "plain" | "json";

export function defaultConsoleMode(): ConsoleMode {
  if (process.env.NODE_ENV === "production") return "json";
  return process.stdout.isTTY ? "pretty" : "plain";
}

export function consoleSink(stream: NodeJS.WritableStream = process.stdout): SinkObject {
  return { write: (line) => void stream.write(line) };
}

export function consoleSinkOptions(mode: ConsoleMode = defaultConsoleMode()): AddOptions {
  const env = process.env.SIGHTLINE_LOG_LEVEL?.toLowerCase();
  return { level: isLevelName(env) ? env : "debug", serialize: mode === "json", colorize: mode === "pretty" };
}
