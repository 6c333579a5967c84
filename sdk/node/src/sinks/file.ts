/**
 * `fileSink(path, { rotation, retention, compression })`: JSON lines (or text) appended to a
 * file through a buffer written once per tick (or at 64 KiB), so a log call costs no syscall.
 * On rotation the file is renamed `name.YYYY-MM-DD_HH-mm-ss_SSS.ext`, gzipped when
 * `compression: "gz"`, and old rotated files beyond `retention` (a count or an age) deleted.
 */
import fs from "node:fs";
import path from "node:path";
import { pipeline } from "node:stream/promises";
import { createGzip } from "node:zlib";
import type { SinkObject } from "../handlers.js";
import { compileRetention, compileRotation, type FileState, type RetentionSpec, type RotationSpec } from "./rotation.js";

export type FileSinkOptions = {
  rotation?: RotationSpec;
  retention?: RetentionSpec;
  compression?: "gz" | "gzip";
  /** Bytes held before a synchronous write (default 64 KiB); everything is written by the end of the tick anyway. */
  bufferBytes?: number;
};

export type FileSink = SinkObject & { readonly path: string; flush(): Promise<void>; close(): Promise<void> };

const pad = (n: number, w = 2) => String(n).padStart(w, "0");
function stamp(t: number): string {
  const d = new Date(t);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}_${pad(d.getHours())}-${pad(d.getMinutes())}-${pad(d.getSeconds())}_${pad(d.getMilliseconds(), 3)}`;
}

export function fileSink(file: string, options: FileSinkOptions = {}): FileSink {
  const target = path.resolve(file);
  const dir = path.dirname(target);
  const ext = path.extname(target);
  const stem = path.basename(target, ext);
  const rotate = options.rotation === undefined ? null : compileRotation(options.rotation);
  const retain = options.retention === undefined ? null : compileRetention(options.retention);
  const gz = options.compression === "gz" || options.compression === "gzip";
  const limit = options.bufferBytes ?? 65_536;
  fs.mkdirSync(dir, { recursive: true });

  let fd: number | null = null;
  const state: FileState = { size: 0, openedAt: Date.now() };
  let buffer = "";
  let scheduled = false;
  let background: Promise<void> = Promise.resolve();
  let lastRotation = 0;
  const pending = new Set<string>();

  const open = () => {
    fd = fs.openSync(target, "a");
    const st = fs.fstatSync(fd);
    state.size = st.isFile() ? st.size : 0;
    state.openedAt = st.isFile() && st.size > 0 ? Math.min(st.birthtimeMs || st.mtimeMs, Date.now()) : Date.now();
  };
  const writeOut = () => {
    scheduled = false;
    if (!buffer) return;
    if (fd === null) open();
    const data = buffer;
    buffer = "";
    try {
      fs.writeSync(fd!, data);
    } catch {
      // a full disk loses log lines, never the app
    }
  };
  const onExit = () => writeOut();
  process.on("exit", onExit);

  const rotatedFiles = (): { path: string; mtimeMs: number }[] =>
    fs.readdirSync(dir)
      .filter((name) => name !== path.basename(target) && name.startsWith(`${stem}.`) && (name.endsWith(ext) || name.endsWith(`${ext}.gz`)))
      .filter((name) => !pending.has(path.join(dir, name)))
      .map((name) => {
        const p = path.join(dir, name);
        return { path: p, mtimeMs: fs.statSync(p).mtimeMs };
      })
      .sort((a, b) => a.mtimeMs - b.mtimeMs || a.path.localeCompare(b.path));

  const doRotate = () => {
    writeOut();
    if (fd !== null) fs.closeSync(fd);
    fd = null;
    // Two rotations in one millisecond get consecutive stamps, so names sort in rotation order.
    lastRotation = Math.max(Date.now(), lastRotation + 1);
    const rotated = path.join(dir, `${stem}.${stamp(lastRotation)}${ext}`);
    try {
      fs.renameSync(target, rotated);
    } catch {
      open();
      return;
    }
    open();
    // Compression and retention run in order, off the logging path; a file waiting to be
    // compressed is never a retention candidate, and a failed gzip leaves no partial .gz.
    if (gz) pending.add(rotated);
    background = background.then(async () => {
      if (gz) {
        try {
          await pipeline(fs.createReadStream(rotated), createGzip(), fs.createWriteStream(`${rotated}.gz`));
          fs.unlinkSync(rotated);
        } catch {
          fs.rmSync(`${rotated}.gz`, { force: true });
        } finally {
          pending.delete(rotated);
        }
      }
      if (retain) for (const old of retain(rotatedFiles(), Date.now())) fs.rmSync(old, { force: true });
    }).catch(() => {});
  };

  return {
    path: target,
    write(line: string) {
      if (rotate) {
        if (fd === null) open();
        if (rotate(line, state, Date.now())) doRotate();
      }
      buffer += line;
      state.size += Buffer.byteLength(line);
      if (buffer.length >= limit) writeOut();
      else if (!scheduled) {
        scheduled = true;
        setImmediate(writeOut);
      }
    },
    async flush() {
      writeOut();
      await background;
    },
    async close() {
      writeOut();
      await background;
      process.off("exit", onExit);
      if (fd !== null) fs.closeSync(fd);
      fd = null;
    },
  };
}
