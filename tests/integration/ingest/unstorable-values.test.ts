import { gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as ingestRoute from "@/app/api/v1/ingest/route";
import * as otlpLogsRoute from "@/app/api/v1/otlp/v1/logs/route";
import { startRouteServer } from "../../../scripts/lib/http-harness";
import { pool } from "@/server/db/pool";
import { writeIsolatingUnstorable } from "@/server/ingest/isolate";
import type { RequestEvent, SpanEvent } from "@/server/ingest/schemas";
import { countAll, makeIngestProject, rows, sendBatch } from "./fixtures";

let server: Awaited<ReturnType<typeof startRouteServer>>;
beforeAll(async () => {
  server = await startRouteServer({ "/api/v1/ingest": ingestRoute, "/api/v1/otlp/v1/logs": otlpLogsRoute });
});
afterAll(() => server.close());

const LABEL = "sanitized:unstorable-characters";

/**
 * Postgres text and jsonb cannot hold NUL, nor can UTF-8 hold lone UTF-16 surrogates. Such a value
 * once failed the whole batch's write (503, "retry"), losing its valid neighbours and making a
 * well-behaved client retry forever. Now the characters are stripped (NUL) or replaced with U+FFFD
 * (lone surrogates), wherever they are, and the row records that it was sanitised.
 */
describe("values Postgres cannot store", () => {
  it("are sanitised per event in every field, key and nested map, and the batch is stored", async () => {
    const p = await makeIngestProject();
    const res = await sendBatch(server.baseUrl, p.ingestKey.secret, [
      { type: "log", id: "ok", message: "fine" },
      {
        type: "log",
        id: "nul\u0000id",
        message: "a\u0000b",
        service: "api\u0000",
        attributes: { "k\u0000ey": { deep: ["x\u0000", { "\uD800": "\uDC00z" }] } },
      },
      { type: "request", id: "req", method: "GET", path: "/items/\uD83D", status: 200, durationMs: 3, requestHeaders: { "x-\u0000": "v" } },
      { type: "error", id: "err", message: "boom \uDE00", exception: { values: [{ type: "Type\u0000Error", value: "bad\u0000" }] } },
      { type: "llm", id: "llm", model: "gpt-4o\u0000", provider: "openai", inputTokens: 1, outputTokens: 1, prompt: "😀 intact, \uD83D lone" },
      {
        type: "span",
        id: "span",
        traceId: "0af7651916cd43dd8448eb211c80319c",
        spanId: "b7ad6b7169203331",
        name: "GET \u0000/x",
        startTime: new Date(Date.now() - 1000).toISOString(),
        endTime: new Date().toISOString(),
      },
      { type: "event", id: "ev", name: "signup\u0000", properties: { "plan\uDBFF": "pro" } },
    ]);
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ accepted: 7, rejected: [] });
    const logs = Object.fromEntries(
      (
        await rows<{ client_id: string; message: string; service: string; attributes: unknown; redactions: string[] }>(
          `SELECT client_id, message, service, attributes, redactions FROM logs WHERE project_id = $1`,
          [p.project.id],
        )
      ).map((r) => [r.client_id, r]),
    );
    expect(logs.ok!.redactions).toEqual([]);
    expect(logs.nulid).toMatchObject({ message: "ab", service: "api", attributes: { key: { deep: ["x", { "\uFFFD": "\uFFFDz" }] } }, redactions: [LABEL] });
    const [request] = await rows<{ path: string; request_headers: unknown; redactions: string[] }>(
      `SELECT path, request_headers, redactions FROM requests WHERE project_id = $1`,
      [p.project.id],
    );
    expect(request).toMatchObject({ path: "/items/\uFFFD", request_headers: { "x-": "v" }, redactions: [LABEL] });
    const [llm] = await rows<{ model: string; prompt: string }>(`SELECT model, prompt FROM llm_calls WHERE project_id = $1`, [p.project.id]);
    expect(llm).toMatchObject({ model: "gpt-4o", prompt: "😀 intact, \uFFFD lone" });
    expect(await countAll(p.project.id)).toMatchObject({ logs: 2, requests: 1, error_events: 1, llm_calls: 1, spans: 1, product_events: 1 });
  });

  it("are sanitised the same way through OTLP JSON (attribute keys and values, body)", async () => {
    const p = await makeIngestProject();
    const body = {
      resourceLogs: [
        {
          resource: { attributes: [{ key: "service.name", value: { stringValue: "work\u0000er" } }] },
          scopeLogs: [
            {
              logRecords: [
                {
                  timeUnixNano: String(Date.now() * 1e6),
                  severityText: "INFO",
                  body: { stringValue: "line\u0000 \uDC00" },
                  attributes: [{ key: "a\u0000", value: { kvlistValue: { values: [{ key: "n", value: { stringValue: "\u0000" } }] } } }],
                },
              ],
            },
          ],
        },
      ],
    };
    const res = await fetch(`${server.baseUrl}/api/v1/otlp/v1/logs`, {
      method: "POST",
      headers: { authorization: `Bearer ${p.ingestKey.secret}`, "content-type": "application/json", "content-encoding": "gzip" },
      body: gzipSync(JSON.stringify(body)),
    });
    expect(res.status).toBe(200);
    const [log] = await rows<{ message: string; service: string; attributes: Record<string, unknown>; redactions: string[] }>(
      `SELECT message, service, attributes, redactions FROM logs WHERE project_id = $1`,
      [p.project.id],
    );
    expect(log).toMatchObject({ message: "line \uFFFD", service: "worker", redactions: [LABEL] });
    expect(JSON.stringify(log!.attributes)).not.toMatch(/\\u0000/);
  });
});

describe("a value the database refuses for another reason", () => {
  it("rejects only that event (207, with the database's reason) and stores its neighbours; no 503, nothing to retry", async () => {
    const p = await makeIngestProject();
    const res = await sendBatch(server.baseUrl, p.ingestKey.secret, [
      { type: "log", id: "before", message: "kept" },
      { type: "llm", id: "huge", provider: "openai", model: "gpt-4o", inputTokens: 3_000_000_000, outputTokens: 1 },
      { type: "llm", id: "fine", provider: "openai", model: "gpt-4o", inputTokens: 10, outputTokens: 1 },
      { type: "error", id: "err", message: "kept too" },
    ]);
    expect(res.status).toBe(207);
    expect(res.json).toMatchObject({
      accepted: 3,
      rejected: [{ index: 1, id: "huge", errors: [{ path: "", message: expect.stringMatching(/cannot be stored: .*out of range for type integer/) }] }],
    });
    expect(await countAll(p.project.id)).toMatchObject({ logs: 1, llm_calls: 1, error_events: 1 });
    const again = await sendBatch(server.baseUrl, p.ingestKey.secret, [{ type: "log", id: "before", message: "kept" }]);
    expect(again.json).toMatchObject({ accepted: 1 });
    expect(await countAll(p.project.id)).toMatchObject({ logs: 1 });
  });

  it("refuses a request together with the server span derived from it, so neither is stored without the other", async () => {
    const p = await makeIngestProject();
    const time = new Date();
    const request: RequestEvent = {
      type: "request",
      id: "r",
      traceId: "0af7651916cd43dd8448eb211c80319c",
      spanId: "b7ad6b7169203331",
      method: "GET",
      path: "/x",
      status: 200,
      durationMs: 1,
    };
    // A name longer than the column: only the span row is refused by the database.
    const span: SpanEvent = {
      type: "span",
      id: "r",
      traceId: request.traceId!,
      spanId: request.spanId!,
      name: "x".repeat(2000),
      kind: "server",
      startTime: 0,
      endTime: 0,
      status: "unset",
    };
    const kept: RequestEvent = { ...request, id: "kept", spanId: "b7ad6b7169203332" };
    const unstorable = await writeIsolatingUnstorable(pool, p.project.id, {
      logs: [],
      errors: [],
      llm: [],
      metrics: [],
      events: [],
      audit: [],
      requests: [
        { e: request, time, redactions: [] },
        { e: kept, time, redactions: [] },
      ],
      spans: [{ e: span, time, endTime: time, redactions: [], of: request }],
    });
    expect(unstorable.map((u) => u.event)).toEqual([request]);
    expect(await countAll(p.project.id)).toMatchObject({ requests: 1, spans: 0 });
  });
});
