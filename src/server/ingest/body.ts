/**
 * Reads a request body with hard limits: the wire bytes are counted as they stream in, and gzip
 * is inflated with `maxOutputLength`, so neither a huge body nor a gzip bomb is ever held whole
 * in memory. Shared by the batch endpoint and the OTLP endpoints.
 */
import { promisify } from "node:util";
import zlib from "node:zlib";

const gunzip = promisify(zlib.gunzip) as (buf: Buffer, opts: zlib.ZlibOptions) => Promise<Buffer>;
const inflate = promisify(zlib.inflate) as (buf: Buffer, opts: zlib.ZlibOptions) => Promise<Buffer>;

type BodyProblem = { status: 400 | 413 | 415; code: string; message: string };
type BodyResult = { ok: true; body: Buffer } | { ok: false; problem: BodyProblem };

const tooLarge = (maxBytes: number, what: string): BodyResult => ({
  ok: false,
  problem: { status: 413, code: "body_too_large", message: `The ${what} is larger than ${maxBytes} bytes; send smaller batches.` },
});

/**
 * Like nginx's lingering close: after deciding to refuse an over-size body, read and discard the
 * rest (up to DRAIN_FACTOR × the limit) so the client receives the 413 instead of a reset socket.
 */
const DRAIN_FACTOR = 8;

async function drain(reader: ReadableStreamDefaultReader<Uint8Array>, budget: number): Promise<void> {
  let seen = 0;
  while (seen <= budget) {
    const { done, value } = await reader.read();
    if (done) return;
    seen += value.byteLength;
  }
  await reader.cancel().catch(() => {});
}

async function readCapped(request: Request, maxBytes: number): Promise<Buffer | null> {
  if (!request.body) return Buffer.alloc(0);
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await drain(reader, maxBytes * DRAIN_FACTOR);
      return null;
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks, total);
}

/** The decoded body, at most `maxBytes` both on the wire and after decompression. */
export async function readBoundedBody(request: Request, maxBytes: number): Promise<BodyResult> {
  const declared = Number(request.headers.get("content-length") ?? "NaN");
  if (Number.isFinite(declared) && declared > maxBytes) {
    if (request.body && declared <= maxBytes * DRAIN_FACTOR) await drain(request.body.getReader(), maxBytes * DRAIN_FACTOR);
    return tooLarge(maxBytes, "request body");
  }
  const raw = await readCapped(request, maxBytes);
  if (raw === null) return tooLarge(maxBytes, "request body");

  const encoding = (request.headers.get("content-encoding") ?? "identity").trim().toLowerCase();
  if (encoding === "identity" || encoding === "") return { ok: true, body: raw };
  const decode = encoding === "gzip" || encoding === "x-gzip" ? gunzip : encoding === "deflate" ? inflate : null;
  if (!decode) {
    return {
      ok: false,
      problem: { status: 415, code: "unsupported_encoding", message: `Content-Encoding "${encoding}" is not supported; use gzip or none.` },
    };
  }
  try {
    return { ok: true, body: await decode(raw, { maxOutputLength: maxBytes }) };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ERR_BUFFER_TOO_LARGE" || error instanceof RangeError) return tooLarge(maxBytes, "decompressed body");
    return { ok: false, problem: { status: 400, code: "invalid_encoding", message: `The body is not valid ${encoding} data.` } };
  }
}
