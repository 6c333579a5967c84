/**
 * OTLP/HTTP bodies in and out: protobuf (via the descriptor in `proto-descriptor.ts`) or JSON,
 * chosen by Content-Type; responses are encoded in the request's format.
 */
import protobuf from "protobufjs";
import { otlpDescriptor } from "./proto-descriptor";
import type { OtlpSignal } from "./schemas";

export type OtlpFormat = "protobuf" | "json";

const root = protobuf.Root.fromJSON(otlpDescriptor);
const types = {
  traces: { request: root.lookupType("otlp.ExportTraceServiceRequest"), response: root.lookupType("otlp.ExportTraceServiceResponse") },
  logs: { request: root.lookupType("otlp.ExportLogsServiceRequest"), response: root.lookupType("otlp.ExportLogsServiceResponse") },
  metrics: { request: root.lookupType("otlp.ExportMetricsServiceRequest"), response: root.lookupType("otlp.ExportMetricsServiceResponse") },
} as const;

/** The request's format from its Content-Type, or null for one OTLP/HTTP does not define. */
export function otlpFormatOf(contentType: string | null): OtlpFormat | null {
  const mime = contentType?.split(";")[0]?.trim().toLowerCase();
  if (mime === "application/x-protobuf" || mime === "application/protobuf") return "protobuf";
  if (mime === "application/json") return "json";
  return null;
}

export class OtlpDecodeError extends Error {}

/**
 * Decodes a body into OTLP/JSON's shape: bytes become base64 strings (ids are normalised later),
 * 64-bit integers decimal strings, enums integers. Throws OtlpDecodeError for a malformed body.
 */
export function decodeOtlpBody(signal: OtlpSignal, format: OtlpFormat, body: Uint8Array): unknown {
  try {
    if (format === "json") return JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(body));
    const type = types[signal].request;
    return type.toObject(type.decode(body), { longs: String, enums: Number, bytes: String, defaults: false, arrays: true });
  } catch (error) {
    const reason = error instanceof RangeError && /call stack/i.test(error.message) ? "nested too deeply" : (error as Error).message;
    throw new OtlpDecodeError(`The body is not a valid OTLP ${format === "json" ? "JSON" : "protobuf"} ${signal} export request: ${reason}`);
  }
}

const rpcStatus = root.lookupType("otlp.RpcStatus");

/** gRPC status codes OTLP uses for HTTP errors. */
const GRPC_CODE: Record<number, number> = { 400: 3, 401: 16, 403: 7, 413: 3, 415: 3, 429: 8, 500: 13, 502: 14, 503: 14, 504: 14 };

/**
 * An error body: `google.rpc.Status` in the request's format. The JSON form also carries the
 * `{ error: { code, message } }` object the rest of the API answers with (OTLP clients ignore it).
 */
export function encodeOtlpError(format: OtlpFormat, status: number, code: string, message: string): { body: Uint8Array | string; contentType: string } {
  const grpc = GRPC_CODE[status] ?? 2;
  if (format === "json") return { body: JSON.stringify({ code: grpc, message, error: { code, message } }), contentType: "application/json" };
  return { body: rpcStatus.encode(rpcStatus.fromObject({ code: grpc, message })).finish(), contentType: "application/x-protobuf" };
}

const REJECTED_FIELD = { traces: "rejectedSpans", logs: "rejectedLogRecords", metrics: "rejectedDataPoints" } as const;

type OtlpPartialSuccess = { rejected: number; errorMessage: string } | null;

/** `Export…ServiceResponse`; `partialSuccess` only when something was rejected (or there is a warning). */
export function encodeOtlpResponse(signal: OtlpSignal, format: OtlpFormat, partial: OtlpPartialSuccess): { body: Uint8Array | string; contentType: string } {
  const message = partial ? { partialSuccess: { [REJECTED_FIELD[signal]]: String(partial.rejected), errorMessage: partial.errorMessage } } : {};
  if (format === "json") return { body: JSON.stringify(message), contentType: "application/json" };
  const type = types[signal].response;
  return { body: type.encode(type.fromObject(message)).finish(), contentType: "application/x-protobuf" };
}
