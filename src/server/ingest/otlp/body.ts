/**
 * Reads an OTLP/HTTP request body within a byte budget: the compressed bytes are counted while
 * streaming (Content-Length is only a hint), and gzip is inflated with `maxOutputLength`, so a
 * gzip bomb stops at the limit instead of filling memory.
 */
import { promisify } from "node:util";
import { gunzip, inflate } from "node:zlib";

const gunzipAsync = promisify(gunzip);
const inflateAsync = promisify(inflate);

export type BodyResult = { ok: true; bytes: Uint8Array } | { ok: false; status: 400 | 413 | 415; message: string };

const tooLarge = (limit: number): BodyResult => ({ ok: false, status: 413, message: `The body is larger than the ${limit}-byte limit.` });

async function readRaw(request: Request, limit: number): Promise<Uint8Array | null> {
  const declared = Number(request.headers.get("content-length"));
  if (Number.isFinite(declared) && declared > limit) return null;
  if (!request.body) return new Uint8Array(0);
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > limit) {
      await reader.cancel();
      return null;
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks, total);
}

/** The decoded body, or why not: 413 over `maxBytes` (before or after inflating), 415 unknown encoding, 400 corrupt gzip. */
export async function readOtlpBody(request: Request, maxBytes: number): Promise<BodyResult> {
  const encoding = (request.headers.get("content-encoding") ?? "identity").trim().toLowerCase();
  if (!["identity", "gzip", "x-gzip", "deflate"].includes(encoding)) {
    return { ok: false, status: 415, message: `Content-Encoding "${encoding}" is not supported; send gzip or no encoding.` };
  }
  const raw = await readRaw(request, maxBytes);
  if (!raw) return tooLarge(maxBytes);
  if (encoding === "identity") return { ok: true, bytes: raw };
  try {
    const inflateBody = encoding === "deflate" ? inflateAsync : gunzipAsync;
    return { ok: true, bytes: await inflateBody(raw, { maxOutputLength: maxBytes }) };
  } catch (error) {
    if (error instanceof RangeError || (error as NodeJS.ErrnoException).code === "ERR_BUFFER_TOO_LARGE") return tooLarge(maxBytes);
    return { ok: false, status: 400, message: `The body is not valid ${encoding} data.` };
  }
}
