import { registerOTel } from "@vercel/otel";

/** The portal's own traces; @vercel/otel exports to OTEL_EXPORTER_OTLP_ENDPOINT when it is set. */
export function register() {
  registerOTel({ serviceName: "sightline" });
}
