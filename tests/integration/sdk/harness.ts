import * as ingestRoute from "@/app/api/v1/ingest/route";
import { flush, init, shutdown, type InitOptions } from "@sightline/node";
import { startRouteServer } from "../../../scripts/lib/http-harness";
import { makeIngestProject, rows } from "../ingest/fixtures";

export { rows };

/** The portal's real ingest route on loopback, a fresh project with its keys. */
export async function startPortal() {
  const server = await startRouteServer({ "/api/v1/ingest": ingestRoute });
  const project = await makeIngestProject();
  return { ...server, project, key: project.ingestKey.secret, projectId: project.project.id };
}

/** `init` for tests: short flush interval, no console output. */
export function initSdk(endpoint: string, apiKey: string, options: InitOptions = {}): void {
  init({
    apiKey,
    endpoint,
    service: "sdk-it",
    environment: "test",
    release: "1.0.0",
    console: false,
    flushOnSignals: false,
    ...options,
    transport: { flushIntervalMs: 100, backoffBaseMs: 20, backoffMaxMs: 200, ...options.transport },
  });
}

export async function flushAndStop(): Promise<void> {
  await flush();
  await shutdown();
}

/** Polls `read` until `done` holds (events travel through the transport asynchronously). */
export async function waitFor<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 10_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() > end) return value;
    await new Promise((r) => setTimeout(r, 50));
  }
}
