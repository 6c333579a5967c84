import { randomBytes } from "node:crypto";
import { AggregationTemporalityPreference } from "@opentelemetry/exporter-metrics-otlp-http";
import { OTLPMetricExporter as OTLPMetricExporterHttp } from "@opentelemetry/exporter-metrics-otlp-http";
import { OTLPMetricExporter as OTLPMetricExporterProto } from "@opentelemetry/exporter-metrics-otlp-proto";
import { resourceFromAttributes } from "@opentelemetry/resources";
import { AggregationType, MeterProvider, PeriodicExportingMetricReader, type PushMetricExporter } from "@opentelemetry/sdk-metrics";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pool } from "@/server/db/pool";
import { getJson, makeProjectWithKeys, startApiServer, type JsonBody } from "./fixtures";

// The REAL OpenTelemetry metrics SDK and its protobuf and JSON exporters, over loopback, into the
// real OTLP route handler; answers read back through GET /api/v1/metrics/summary and compared with
// values worked out by hand. Cumulative temporality is the SDK's default.

let server: Awaited<ReturnType<typeof startApiServer>>;
let p: Awaited<ReturnType<typeof makeProjectWithKeys>>;
beforeAll(async () => {
  server = await startApiServer();
  p = await makeProjectWithKeys();
});
afterAll(async () => {
  await server.close();
});

type Temporality = "cumulative" | "delta";
const EXPORTERS: [string, (url: string, key: string, t: Temporality) => PushMetricExporter][] = [
  [
    "exporter-metrics-otlp-proto (protobuf)",
    (url, key, t) => new OTLPMetricExporterProto({ url, headers: { Authorization: `Bearer ${key}` }, temporalityPreference: PREFERENCE[t] }),
  ],
  [
    "exporter-metrics-otlp-http (JSON)",
    (url, key, t) => new OTLPMetricExporterHttp({ url, headers: { Authorization: `Bearer ${key}` }, temporalityPreference: PREFERENCE[t] }),
  ],
];
const PREFERENCE = { cumulative: AggregationTemporalityPreference.CUMULATIVE, delta: AggregationTemporalityPreference.DELTA };

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A process: its meter provider exports only when flushed (and once more on shutdown, as the SDK does). */
function startProcess(make: (typeof EXPORTERS)[number][1], service: string, temporality: Temporality = "cumulative") {
  const exporter = make(`${server.baseUrl}/api/v1/otlp/v1/metrics`, p.ingestKey, temporality);
  const reader = new PeriodicExportingMetricReader({ exporter, exportIntervalMillis: 3_600_000 });
  const provider = new MeterProvider({
    resource: resourceFromAttributes({ "service.name": service, "deployment.environment": "test" }),
    readers: [reader],
    views: [{ instrumentName: "*.exp_latency", aggregation: { type: AggregationType.EXPONENTIAL_HISTOGRAM } }],
  });
  return { meter: provider.getMeter("sdk-test"), flush: () => provider.forceFlush(), shutdown: () => provider.shutdown() };
}

async function summary(service: string): Promise<Record<string, JsonBody>> {
  const res = await getJson(server.baseUrl, p.readKey, `/api/v1/metrics/summary?service=${service}`);
  expect(res.status).toBe(200);
  return Object.fromEntries(res.body.items.map((m: JsonBody) => [m.name, m]));
}

describe.each(EXPORTERS)("metrics from the real SDK via %s", (_label, make) => {
  const service = `svc-${randomBytes(3).toString("hex")}`;

  it("a cumulative counter: add(7), forceFlush, shutdown → an increase of 7, not 14", async () => {
    const proc = startProcess(make, service);
    proc.meter.createCounter("orders.created").add(7, { plan: "pro" });
    await proc.flush();
    await sleep(5);
    await proc.shutdown();
    const m = (await summary(service))["orders.created"];
    expect(m).toMatchObject({ kind: "counter", points: 2, sum: 7, last: 7 });
    const { rows } = await pool.query(
      `SELECT metric_type, temporality, monotonic, start_time IS NOT NULL AS has_start, delta FROM metric_points
        WHERE project_id = $1 AND name = 'orders.created' AND service = $2 ORDER BY time`,
      [p.projectId, service],
    );
    expect(rows).toEqual([
      { metric_type: "sum", temporality: "cumulative", monotonic: true, has_start: true, delta: 7 },
      { metric_type: "sum", temporality: "cumulative", monotonic: true, has_start: true, delta: 0 },
    ]);
  });

  it("a counter that restarts with its process counts both lives (reset by new start time)", async () => {
    const first = startProcess(make, service);
    const c1 = first.meter.createCounter("jobs.done");
    c1.add(5);
    await first.flush();
    await sleep(5);
    c1.add(3);
    await first.flush();
    await sleep(5);
    await first.shutdown(); // re-exports 8
    await sleep(5);
    const second = startProcess(make, service); // same resource, new start time, total restarts at 0
    second.meter.createCounter("jobs.done").add(2);
    await second.flush();
    await sleep(5);
    await second.shutdown();
    expect((await summary(service))["jobs.done"]).toMatchObject({ kind: "counter", sum: 10, last: 2 });
  });

  it("delta temporality: each export is summed", async () => {
    const proc = startProcess(make, service, "delta");
    const c = proc.meter.createCounter("emails.sent");
    c.add(3);
    await proc.flush();
    await sleep(5);
    c.add(4);
    await proc.flush();
    await proc.shutdown();
    expect((await summary(service))["emails.sent"]).toMatchObject({ kind: "counter", sum: 7 });
    const { rows } = await pool.query(`SELECT DISTINCT temporality FROM metric_points WHERE project_id = $1 AND name = 'emails.sent' AND service = $2`, [
      p.projectId,
      service,
    ]);
    expect(rows).toEqual([{ temporality: "delta" }]);
  });

  it("an up-down counter is a level: last value, never summed as a counter", async () => {
    const proc = startProcess(make, service);
    const c = proc.meter.createUpDownCounter("queue.depth");
    c.add(5);
    c.add(-2);
    await proc.flush();
    await sleep(5);
    c.add(-1);
    await proc.flush();
    await proc.shutdown();
    expect((await summary(service))["queue.depth"]).toMatchObject({ kind: "gauge", last: 2, min: 2, max: 3, sum: null });
  });

  it("an explicit-bucket histogram: counts once across re-exports, percentiles from merged buckets", async () => {
    const proc = startProcess(make, service);
    const h = proc.meter.createHistogram("http.latency", { unit: "ms" });
    for (let v = 1; v <= 50; v++) h.record(v);
    await proc.flush();
    await sleep(5);
    for (let v = 51; v <= 100; v++) h.record(v);
    await proc.flush();
    await sleep(5);
    await proc.shutdown();
    // 1…100 in the SDK's default buckets (…, 25, 50, 75, 100, …) spread evenly inside each bucket,
    // so interpolation is exact: p50 = 25 + 25·(50−25)/25 = 50, p90 = 75 + 25·15/25 = 90, …
    expect((await summary(service))["http.latency"]).toMatchObject({
      kind: "histogram",
      unit: "ms",
      count: 100,
      sum: 5050,
      avg: 50.5,
      min: 1,
      max: 100,
      p50: 50,
      p90: 90,
      p95: 95,
      p99: 99,
    });
  });

  it("an exponential histogram: buckets merged across scales, percentiles within the bucket error", async () => {
    const proc = startProcess(make, service);
    const h = proc.meter.createHistogram("rpc.exp_latency", { unit: "ms" });
    for (let v = 1; v <= 50; v++) h.record(v);
    await proc.flush();
    await sleep(5);
    for (let v = 51; v <= 100; v++) h.record(v);
    await proc.flush();
    await proc.shutdown();
    const m = (await summary(service))["rpc.exp_latency"]!;
    expect(m).toMatchObject({ kind: "histogram", count: 100, sum: 5050, min: 1, max: 100 });
    const { rows } = await pool.query<{ scale: number }>(
      `SELECT (buckets->>'scale')::int AS scale FROM metric_points WHERE project_id = $1 AND name = 'rpc.exp_latency' AND service = $2 ORDER BY time DESC LIMIT 1`,
      [p.projectId, service],
    );
    const relativeError = 2 ** (2 ** -rows[0]!.scale) - 1; // one bucket's width, relative
    expect(relativeError).toBeLessThan(0.05);
    for (const [k, exact] of [
      ["p50", 50],
      ["p90", 90],
      ["p95", 95],
      ["p99", 99],
    ] as const) {
      expect(Math.abs(m[k] - exact) / exact, `${k}: ${m[k]}`).toBeLessThanOrEqual(relativeError);
    }
  });
});
