/**
 * Parses the text of OTel's `exception.stacktrace` into Sentry-shaped frames, oldest call first
 * (Sentry's order, which the error fingerprint expects). Understands V8/Node, Firefox/Safari-style
 * JavaScript, Python tracebacks, JVM and Go panics; lines it does not recognise are skipped, and
 * text with no recognisable frame yields an empty list (the message still groups the error).
 */
import type { StackFrame } from "../schemas";

const MAX_FRAMES = 256;

const NOT_IN_APP = /(^|[/\\])(node_modules|site-packages|dist-packages|vendor)[/\\]|^node:|^internal[/\\]|^<anonymous>$|^native$/;

function basename(path: string): string {
  return path.split(/[/\\]/).pop() ?? path;
}

function frame(fn: string | undefined, absPath: string | undefined, line?: string, col?: string): StackFrame {
  const path = absPath?.replace(/^file:\/\//, "");
  return {
    ...(fn ? { function: fn } : {}),
    ...(path ? { abs_path: path, filename: basename(path), in_app: !NOT_IN_APP.test(path) } : {}),
    ...(line ? { lineno: Number(line) } : {}),
    ...(col ? { colno: Number(col) } : {}),
  };
}

/** `    at fn (file:1:2)`, `    at file:1:2`, `    at async fn (file:1:2)` — newest first. */
const V8 = /^\s*at (?:async )?(?:(.+?) \((.+?):(\d+):(\d+)\)|(.+?):(\d+):(\d+))\s*$/;
/** `fn@file:1:2` (Firefox, Safari) — newest first. */
const GECKO = /^\s*(.*?)@(.+?):(\d+):(\d+)\s*$/;
/** `  File "path", line 12, in fn` — Python, oldest first. */
const PYTHON = /^\s*File "(.+?)", line (\d+), in (.+?)\s*$/;
/** `\tat com.acme.Foo.bar(Foo.java:12)` — JVM, newest first. */
const JVM = /^\s*at ([\w$.<>/]+)\.([\w$<>]+)\((?:([^:()]+)(?::(\d+))?|Native Method|Unknown Source)\)\s*$/;
/** Go: a `pkg.Func(...)` line followed by `\t/path/file.go:12 +0x1d` — newest first. */
const GO_FN = /^([\w./*()-]+)\(.*\)$/;
const GO_LOC = /^\s+(\S+\.go):(\d+)(?: \+0x[0-9a-f]+)?$/;

export function parseStacktrace(text: string): StackFrame[] {
  const lines = text.split(/\r?\n/);
  const frames: StackFrame[] = [];
  let newestFirst = true;
  for (let i = 0; i < lines.length && frames.length < MAX_FRAMES; i++) {
    const line = lines[i]!;
    let m: RegExpExecArray | null;
    if ((m = V8.exec(line))) {
      frames.push(m[2] ? frame(m[1], m[2], m[3], m[4]) : frame(undefined, m[5], m[6], m[7]));
    } else if ((m = PYTHON.exec(line))) {
      newestFirst = false;
      frames.push(frame(m[3], m[1], m[2]));
    } else if ((m = JVM.exec(line))) {
      const f = frame(m[2], m[3], m[4]);
      frames.push({ ...f, module: m[1], in_app: !/^(java|javax|jdk|sun|kotlin|scala)\./.test(m[1]!) });
    } else if ((m = GECKO.exec(line)) && !line.includes(" at ")) {
      frames.push(frame(m[1] || undefined, m[2], m[3], m[4]));
    } else if ((m = GO_FN.exec(line)) && lines[i + 1] && GO_LOC.test(lines[i + 1]!)) {
      const loc = GO_LOC.exec(lines[++i]!)!;
      const f = frame(m[1], loc[1], loc[2]);
      frames.push({ ...f, in_app: !/^(runtime|net\/http|reflect)\./.test(m[1]!) });
    }
  }
  return newestFirst ? frames.reverse() : frames;
}
