import type { INamespace } from "protobufjs";

/**
 * The OTLP v1 messages (opentelemetry-proto: common, resource, trace, logs, metrics and the three
 * collector export requests/responses) as a protobufjs JSON descriptor. The installed
 * `@opentelemetry/otlp-transformer` only ENCODES requests (hand-written writer), so the server
 * decodes with this descriptor. Field names are the lowerCamelCase names of OTLP/JSON, so a
 * decoded protobuf message and a parsed JSON body have the same shape. Nested proto types are
 * flattened (Span.Event → SpanEvent); names do not travel on the wire, field numbers do.
 */
const str = (id: number) => ({ type: "string", id });
const kvs = (id: number) => ({ rule: "repeated", type: "KeyValue", id });
const fixed64 = (id: number) => ({ type: "fixed64", id });

export const otlpDescriptor: INamespace = {
  nested: {
    otlp: {
      nested: {
        AnyValue: {
          oneofs: { value: { oneof: ["stringValue", "boolValue", "intValue", "doubleValue", "arrayValue", "kvlistValue", "bytesValue"] } },
          fields: {
            stringValue: str(1),
            boolValue: { type: "bool", id: 2 },
            intValue: { type: "int64", id: 3 },
            doubleValue: { type: "double", id: 4 },
            arrayValue: { type: "ArrayValue", id: 5 },
            kvlistValue: { type: "KeyValueList", id: 6 },
            bytesValue: { type: "bytes", id: 7 },
          },
        },
        ArrayValue: { fields: { values: { rule: "repeated", type: "AnyValue", id: 1 } } },
        KeyValueList: { fields: { values: kvs(1) } },
        KeyValue: { fields: { key: str(1), value: { type: "AnyValue", id: 2 } } },
        InstrumentationScope: {
          fields: { name: str(1), version: str(2), attributes: kvs(3), droppedAttributesCount: { type: "uint32", id: 4 } },
        },
        Resource: { fields: { attributes: kvs(1), droppedAttributesCount: { type: "uint32", id: 2 } } },

        ExportTraceServiceRequest: { fields: { resourceSpans: { rule: "repeated", type: "ResourceSpans", id: 1 } } },
        ResourceSpans: {
          fields: { resource: { type: "Resource", id: 1 }, scopeSpans: { rule: "repeated", type: "ScopeSpans", id: 2 }, schemaUrl: str(3) },
        },
        ScopeSpans: {
          fields: { scope: { type: "InstrumentationScope", id: 1 }, spans: { rule: "repeated", type: "Span", id: 2 }, schemaUrl: str(3) },
        },
        Span: {
          fields: {
            traceId: { type: "bytes", id: 1 },
            spanId: { type: "bytes", id: 2 },
            traceState: str(3),
            parentSpanId: { type: "bytes", id: 4 },
            flags: { type: "fixed32", id: 16 },
            name: str(5),
            kind: { type: "int32", id: 6 },
            startTimeUnixNano: fixed64(7),
            endTimeUnixNano: fixed64(8),
            attributes: kvs(9),
            droppedAttributesCount: { type: "uint32", id: 10 },
            events: { rule: "repeated", type: "SpanEvent", id: 11 },
            droppedEventsCount: { type: "uint32", id: 12 },
            links: { rule: "repeated", type: "SpanLink", id: 13 },
            droppedLinksCount: { type: "uint32", id: 14 },
            status: { type: "Status", id: 15 },
          },
        },
        SpanEvent: {
          fields: { timeUnixNano: fixed64(1), name: str(2), attributes: kvs(3), droppedAttributesCount: { type: "uint32", id: 4 } },
        },
        SpanLink: {
          fields: {
            traceId: { type: "bytes", id: 1 },
            spanId: { type: "bytes", id: 2 },
            traceState: str(3),
            attributes: kvs(4),
            droppedAttributesCount: { type: "uint32", id: 5 },
            flags: { type: "fixed32", id: 6 },
          },
        },
        Status: { fields: { message: str(2), code: { type: "int32", id: 3 } } },
        ExportTraceServiceResponse: { fields: { partialSuccess: { type: "ExportTracePartialSuccess", id: 1 } } },
        ExportTracePartialSuccess: { fields: { rejectedSpans: { type: "int64", id: 1 }, errorMessage: str(2) } },

        ExportLogsServiceRequest: { fields: { resourceLogs: { rule: "repeated", type: "ResourceLogs", id: 1 } } },
        ResourceLogs: {
          fields: { resource: { type: "Resource", id: 1 }, scopeLogs: { rule: "repeated", type: "ScopeLogs", id: 2 }, schemaUrl: str(3) },
        },
        ScopeLogs: {
          fields: { scope: { type: "InstrumentationScope", id: 1 }, logRecords: { rule: "repeated", type: "LogRecord", id: 2 }, schemaUrl: str(3) },
        },
        LogRecord: {
          fields: {
            timeUnixNano: fixed64(1),
            observedTimeUnixNano: fixed64(11),
            severityNumber: { type: "int32", id: 2 },
            severityText: str(3),
            body: { type: "AnyValue", id: 5 },
            attributes: kvs(6),
            droppedAttributesCount: { type: "uint32", id: 7 },
            flags: { type: "fixed32", id: 8 },
            traceId: { type: "bytes", id: 9 },
            spanId: { type: "bytes", id: 10 },
            eventName: str(12),
          },
        },
        ExportLogsServiceResponse: { fields: { partialSuccess: { type: "ExportLogsPartialSuccess", id: 1 } } },
        ExportLogsPartialSuccess: { fields: { rejectedLogRecords: { type: "int64", id: 1 }, errorMessage: str(2) } },

        ExportMetricsServiceRequest: { fields: { resourceMetrics: { rule: "repeated", type: "ResourceMetrics", id: 1 } } },
        ResourceMetrics: {
          fields: { resource: { type: "Resource", id: 1 }, scopeMetrics: { rule: "repeated", type: "ScopeMetrics", id: 2 }, schemaUrl: str(3) },
        },
        ScopeMetrics: {
          fields: { scope: { type: "InstrumentationScope", id: 1 }, metrics: { rule: "repeated", type: "Metric", id: 2 }, schemaUrl: str(3) },
        },
        Metric: {
          oneofs: { data: { oneof: ["gauge", "sum", "histogram", "exponentialHistogram", "summary"] } },
          fields: {
            name: str(1),
            description: str(2),
            unit: str(3),
            gauge: { type: "Gauge", id: 5 },
            sum: { type: "Sum", id: 7 },
            histogram: { type: "Histogram", id: 9 },
            exponentialHistogram: { type: "ExponentialHistogram", id: 10 },
            summary: { type: "Summary", id: 11 },
            metadata: kvs(12),
          },
        },
        Gauge: { fields: { dataPoints: { rule: "repeated", type: "NumberDataPoint", id: 1 } } },
        Sum: {
          fields: {
            dataPoints: { rule: "repeated", type: "NumberDataPoint", id: 1 },
            aggregationTemporality: { type: "int32", id: 2 },
            isMonotonic: { type: "bool", id: 3 },
          },
        },
        Histogram: {
          fields: { dataPoints: { rule: "repeated", type: "HistogramDataPoint", id: 1 }, aggregationTemporality: { type: "int32", id: 2 } },
        },
        ExponentialHistogram: {
          fields: {
            dataPoints: { rule: "repeated", type: "ExponentialHistogramDataPoint", id: 1 },
            aggregationTemporality: { type: "int32", id: 2 },
          },
        },
        Summary: { fields: { dataPoints: { rule: "repeated", type: "SummaryDataPoint", id: 1 } } },
        NumberDataPoint: {
          oneofs: { value: { oneof: ["asDouble", "asInt"] } },
          fields: {
            attributes: kvs(7),
            startTimeUnixNano: fixed64(2),
            timeUnixNano: fixed64(3),
            asDouble: { type: "double", id: 4 },
            asInt: { type: "sfixed64", id: 6 },
            flags: { type: "uint32", id: 8 },
          },
        },
        HistogramDataPoint: {
          oneofs: { _sum: { oneof: ["sum"] }, _min: { oneof: ["min"] }, _max: { oneof: ["max"] } },
          fields: {
            attributes: kvs(9),
            startTimeUnixNano: fixed64(2),
            timeUnixNano: fixed64(3),
            count: fixed64(4),
            sum: { type: "double", id: 5 },
            bucketCounts: { rule: "repeated", type: "fixed64", id: 6 },
            explicitBounds: { rule: "repeated", type: "double", id: 7 },
            flags: { type: "uint32", id: 10 },
            min: { type: "double", id: 11 },
            max: { type: "double", id: 12 },
          },
        },
        ExponentialHistogramDataPoint: {
          oneofs: { _sum: { oneof: ["sum"] }, _min: { oneof: ["min"] }, _max: { oneof: ["max"] } },
          fields: {
            attributes: kvs(1),
            startTimeUnixNano: fixed64(2),
            timeUnixNano: fixed64(3),
            count: fixed64(4),
            sum: { type: "double", id: 5 },
            scale: { type: "sint32", id: 6 },
            zeroCount: fixed64(7),
            positive: { type: "ExponentialBuckets", id: 8 },
            negative: { type: "ExponentialBuckets", id: 9 },
            flags: { type: "uint32", id: 10 },
            min: { type: "double", id: 12 },
            max: { type: "double", id: 13 },
          },
        },
        ExponentialBuckets: { fields: { offset: { type: "sint32", id: 1 }, bucketCounts: { rule: "repeated", type: "uint64", id: 2 } } },
        SummaryDataPoint: {
          fields: {
            attributes: kvs(7),
            startTimeUnixNano: fixed64(2),
            timeUnixNano: fixed64(3),
            count: fixed64(4),
            sum: { type: "double", id: 5 },
            quantileValues: { rule: "repeated", type: "ValueAtQuantile", id: 6 },
            flags: { type: "uint32", id: 8 },
          },
        },
        ValueAtQuantile: { fields: { quantile: { type: "double", id: 1 }, value: { type: "double", id: 2 } } },
        ExportMetricsServiceResponse: { fields: { partialSuccess: { type: "ExportMetricsPartialSuccess", id: 1 } } },
        ExportMetricsPartialSuccess: { fields: { rejectedDataPoints: { type: "int64", id: 1 }, errorMessage: str(2) } },

        /** google.rpc.Status: the body of an OTLP/HTTP error response (details omitted). */
        RpcStatus: { fields: { code: { type: "int32", id: 1 }, message: str(2) } },
      },
    },
  },
};
