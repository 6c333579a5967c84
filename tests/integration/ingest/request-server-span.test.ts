/**
 * A `request` event sent with `span` is also its trace's server span (what the SDK sends: one
 * event per request). The span is derived on the portal, stored once under retries, and stands
 * or falls with its request.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as ingestRoute from "@/app/api/v1/ingest/route";
import { startRouteServer } from "../../../scripts/lib/http-harness";
import { makeIngestProject, rows, sendBatch } from "./fixtures";

let server: Awaited<ReturnType<typeof startRouteServer>>;
beforeAll(async () => {
  server = await startRouteServer({ "/api/v1/ingest": ingestRoute });
});
afterAll(async () => {
  await server.close();
});

const TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
type SpanRow = {
  client_id: string | null;
  trace_id: string;
  span_id: string;
  parent_span_id: string | null;
  name: string;
  kind: string;
  status: string;
  status_message: string | null;
  duration_ms: number;
  start: string;
  service: string | null;
  attributes: Record<string, unknown>;
};
const spansOf = (projectId: string) =>
  rows<SpanRow>(
    `SELECT client_id, trace_id, span_id, parent_span_id, name, kind, status, status_message, duration_ms, start_time AS start, service, attributes
       FROM spans WHERE project_id = $1 ORDER BY span_id`,
    [projectId],
  );

describe("request events that carry `span`", () => {
  it("store the request and its server span, with OpenTelemetry's HTTP names; a retry stores both once", async () => {
    const p = await makeIngestProject();
    const start = Date.now() - 5_000;
    const batch = [
      {
        type: "request",
        id: "r1",
        timestamp: start,
        traceId: TRACE,
        spanId: "00f067aa0ba902b7",
        method: "get",
        route: "/items/:id",
        path: "/items/42",
        status: 503,
        durationMs: 1250.4,
        userId: "u-7",
        requestId: "req-1",
        service: "shop",
        span: { parentSpanId: "b7ad6b7169203331", statusMessage: "upstream down", errorType: "FetchError" },
      },
      // No `span`: a plain request record, as before.
      { type: "request", id: "r2", timestamp: start, traceId: TRACE, spanId: "00f067aa0ba902b8", method: "GET", path: "/health", status: 200, durationMs: 1 },
      // No route matched: the span is named after the path.
      {
        type: "request",
        id: "r3",
        timestamp: start,
        traceId: TRACE,
        spanId: "00f067aa0ba902b9",
        method: "POST",
        path: "/nowhere",
        status: 404,
        durationMs: 2,
        span: {},
      },
    ];
    for (let attempt = 0; attempt < 2; attempt++) {
      const res = await sendBatch(server.baseUrl, p.ingestKey.secret, batch);
      expect(res.status).toBe(200);
      expect(res.json.accepted).toBe(3);
    }
    expect((await rows(`SELECT 1 FROM requests WHERE project_id = $1`, [p.project.id])).length).toBe(3);
    const spans = await spansOf(p.project.id);
    expect(spans).toHaveLength(2);
    const [withRoute, noRoute] = spans as [SpanRow, SpanRow];
    expect(withRoute).toMatchObject({
      client_id: "r1",
      trace_id: TRACE,
      span_id: "00f067aa0ba902b7",
      parent_span_id: "b7ad6b7169203331",
      name: "GET /items/:id",
      kind: "server",
      status: "error",
      status_message: "upstream down",
      duration_ms: 1250,
      service: "shop",
      attributes: {
        "http.request.method": "GET",
        "http.route": "/items/:id",
        "url.path": "/items/42",
        "http.response.status_code": 503,
        "sightline.request_id": "req-1",
        "user.id": "u-7",
        "error.type": "FetchError",
      },
    });
    expect(new Date(withRoute.start).getTime()).toBe(start);
    // A 4xx is not a server span error (OpenTelemetry's rule).
    expect(noRoute).toMatchObject({ name: "POST /nowhere", kind: "server", status: "unset", parent_span_id: null });
    expect(noRoute.attributes).not.toHaveProperty("http.route");
  });

  it("are refused, naming the field, when the span would have no ids or end outside the time window; their neighbours are stored", async () => {
    const p = await makeIngestProject();
    const res = await sendBatch(server.baseUrl, p.ingestKey.secret, [
      { type: "request", id: "no-ids", method: "GET", path: "/a", status: 200, durationMs: 3, span: {} },
      { type: "request", id: "forever", traceId: TRACE, spanId: "00f067aa0ba902c1", method: "GET", path: "/b", status: 200, durationMs: 1e12, span: {} },
      { type: "request", id: "fine", traceId: TRACE, spanId: "00f067aa0ba902c2", method: "GET", path: "/c", status: 200, durationMs: 3, span: {} },
    ]);
    expect(res.status).toBe(207);
    expect(res.json.accepted).toBe(1);
    expect(res.json.rejected).toEqual([
      {
        index: 0,
        id: "no-ids",
        errors: [
          { path: "traceId", message: "is required when `span` is set" },
          { path: "spanId", message: "is required when `span` is set" },
        ],
      },
      { index: 1, id: "forever", errors: [{ path: "durationMs", message: expect.stringContaining("outside the accepted time window") }] },
    ]);
    expect((await spansOf(p.project.id)).map((s) => s.client_id)).toEqual(["fine"]);
    expect((await rows<{ client_id: string }>(`SELECT client_id FROM requests WHERE project_id = $1`, [p.project.id])).map((r) => r.client_id)).toEqual([
      "fine",
    ]);
  });
});
