/**
 * Where archives live: a directory (ARCHIVE_DIR) by default. The retention job, restore and the
 * download route speak only this interface, so another backend (an S3 bucket) plugs in here.
 */
import { randomBytes } from "node:crypto";
import { createReadStream } from "node:fs";
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import { Readable } from "node:stream";
import path from "node:path";

export interface ArchiveStore {
  /** Where, for messages and receipts (a path or a bucket URL; never a credential). */
  readonly location: string;
  put(key: string, body: Buffer): Promise<void>;
  /** The object's bytes, or null when there is none. */
  get(key: string): Promise<Buffer | null>;
  /** The object as a stream of bytes with its length (downloads), or null when there is none. */
  stream(key: string): Promise<{ body: ReadableStream<Uint8Array>; length: number } | null>;
  /** Every key under `prefix` (which ends in "/"), sorted. */
  list(prefix: string): Promise<string[]>;
  /** Proves the store can be written, read back and cleaned up; throws with the reason when not. */
  probe(): Promise<void>;
}

const PROBE_TIMEOUT_MS = 10_000;
const SAFE_KEY = /^[A-Za-z0-9=._\-/]+$/;

/** Keys are built by archive-format.ts from ids and dates; anything else (`..`, absolute paths) is refused. */
function checkKey(key: string): string {
  if (!SAFE_KEY.test(key) || key.split("/").some((part) => part === ".." || part === ".") || key.startsWith("/")) {
    throw new Error(`archive key not allowed: ${key}`);
  }
  return key;
}

export class DirectoryArchiveStore implements ArchiveStore {
  readonly location: string;

  constructor(private readonly root: string) {
    this.location = path.resolve(root);
  }

  private file(key: string) {
    return path.join(this.location, checkKey(key));
  }

  async put(key: string, body: Buffer): Promise<void> {
    const target = this.file(key);
    await mkdir(path.dirname(target), { recursive: true });
    // Written aside and renamed: a crash leaves either the old object or the whole new one.
    const temp = `${target}.${randomBytes(4).toString("hex")}.tmp`;
    await writeFile(temp, body, { flush: true });
    await rename(temp, target);
  }

  async get(key: string): Promise<Buffer | null> {
    try {
      return await readFile(this.file(key));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
      throw error;
    }
  }

  async stream(key: string): Promise<{ body: ReadableStream<Uint8Array>; length: number } | null> {
    const file = this.file(key);
    try {
      const { size } = await stat(file);
      return { body: Readable.toWeb(createReadStream(file)) as ReadableStream<Uint8Array>, length: size };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
      throw error;
    }
  }

  async list(prefix: string): Promise<string[]> {
    const trimmed = prefix.replace(/\/$/, "");
    const dir = trimmed ? this.file(trimmed) : this.location;
    let entries: string[];
    try {
      entries = await readdir(dir, { recursive: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
      throw error;
    }
    const base = prefix.endsWith("/") || prefix === "" ? prefix : `${prefix}/`;
    return entries
      .map((e) => `${base}${e.split(path.sep).join("/")}`)
      .filter((k) => !k.endsWith(".tmp") && /\.(json|gz)$/.test(k))
      .sort();
  }

  async probe(): Promise<void> {
    const key = `.probe/${randomBytes(6).toString("hex")}`;
    const body = Buffer.from("probe");
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${PROBE_TIMEOUT_MS} ms`)), PROBE_TIMEOUT_MS);
    });
    const attempt = async () => {
      await this.put(key, body);
      const back = await this.get(key);
      if (!back?.equals(body)) throw new Error("what was written could not be read back");
      await rm(this.file(key), { force: true });
    };
    try {
      await Promise.race([attempt(), timeout]);
    } catch (error) {
      throw new Error(`archive storage ${this.location} is not usable: ${(error as Error).message}`, { cause: error });
    } finally {
      clearTimeout(timer);
    }
  }
}
