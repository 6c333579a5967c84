import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { createProjectWithIngestKey, expect, shot, test } from "./fixtures";
import { freePort } from "../free-port";
import { startFakeLlmProviders } from "../fakes/llm-providers";

/**
 * The SDK end to end: examples/express-llm (shop API + pricing service, each with its own
 * @sightline/node client, OpenAI replaced by a loopback fake) sends to the portal started for
 * the e2e run; the trace of one request is found in the traces list and its waterfall shows
 * both services' spans, the LLM call, the logs and the error.
 */

let example: ChildProcess | null = null;
let fake: Awaited<ReturnType<typeof startFakeLlmProviders>> | null = null;

test.afterAll(async () => {
  example?.kill("SIGTERM");
  await fake?.close();
});

test("the example app's trace — request, logs, LLM call and error across two services — in the waterfall", async ({ page, signedUp, baseURL }) => {
  test.setTimeout(180_000);
  void signedUp;
  const { key, projectPath } = await createProjectWithIngestKey(page, "SDK example");

  fake = await startFakeLlmProviders();
  const port = await freePort();
  example = spawn(process.execPath, ["--import", "tsx", path.resolve("examples/express-llm/src/start.ts")], {
    stdio: ["ignore", "ignore", "inherit"],
    env: {
      ...process.env,
      PORT: String(port),
      PRICING_PORT: String(await freePort()),
      SIGHTLINE_ENDPOINT: baseURL!,
      SIGHTLINE_API_KEY: key,
      SIGHTLINE_ENVIRONMENT: "e2e",
      OPENAI_BASE_URL: `${fake.baseUrl}/v1`,
      OPENAI_API_KEY: "sk-e2e-fake",
    },
  });
  const shop = `http://127.0.0.1:${port}`;
  await expect
    .poll(
      async () =>
        fetch(`${shop}/health`).then(
          (r) => r.status,
          () => 0,
        ),
      { timeout: 60_000 },
    )
    .toBe(200);
  await expect
    .poll(
      async () =>
        fetch(`${shop}/api/quote/warmup`).then(
          (r) => r.status,
          () => 0,
        ),
      { timeout: 30_000 },
    )
    .toBe(200);

  // A known trace id, continued by the example through its incoming traceparent.
  const traceId = "5e1f" + Date.now().toString(16).padStart(28, "0");
  const res = await fetch(`${shop}/api/quote/sku-1?coupon=BOGUS`, { headers: { traceparent: `00-${traceId}-00f067aa0ba902b7-01`, "x-user-id": "e2e-user" } });
  expect(res.status).toBe(422);
  // SIGTERM: both processes flush their queues before exiting (flushOnSignals).
  const exited = new Promise((resolve) => example!.once("exit", resolve));
  example.kill("SIGTERM");
  await exited;
  example = null;

  await page.goto(`${projectPath}/traces?q=${encodeURIComponent("GET /api/quote/:sku")}`);
  const row = page.getByTestId("trace-row").filter({ hasText: "GET /api/quote/:sku" });
  await expect
    .poll(
      async () => {
        await page.reload();
        return row.count();
      },
      { timeout: 30_000 },
    )
    .toBeGreaterThan(0);
  await page.goto(`${projectPath}/traces/${traceId}`);

  const spans = page.getByTestId("span-row");
  // The pricing service is a second process flushing on its own SIGTERM: its spans may land a moment after the shop's.
  await expect
    .poll(
      async () => {
        await page.reload();
        return spans.filter({ hasText: "GET /prices/:sku" }).count();
      },
      { timeout: 30_000 },
    )
    .toBeGreaterThan(0);
  await expect(spans.filter({ hasText: "GET /api/quote/:sku" })).toContainText("shop-api");
  await expect(spans.filter({ hasText: "GET /prices/:sku" })).toContainText("pricing");
  await expect(spans.filter({ hasText: /^.*GET 127\.0\.0\.1:\d+.*$/ })).toHaveCount(1);
  await expect(spans.filter({ hasText: "chat gpt-4o-mini-2024-07-18" })).toHaveCount(1);
  await expect(page.getByTestId("trace-llm-call")).toContainText("gpt-4o-mini-2024-07-18");
  await expect(page.getByTestId("trace-llm-call")).toContainText("$");
  await expect(page.getByText("Errors (1)")).toBeVisible();
  await expect(page.getByRole("link", { name: /Coupon BOGUS does not exist/ })).toBeVisible();
  await expect(page.getByText("Quoting sku-1 for e2e-user")).toBeVisible();
  await expect(page.getByText("Price lookup sku-1 → 19.99")).toBeVisible();
  await expect(page.getByText("Unknown coupon BOGUS")).toBeVisible();
  await shot(page, "sdk-01-example-trace-waterfall");

  await spans.filter({ hasText: "chat gpt-4o-mini-2024-07-18" }).click();
  await expect(page.getByTestId("span-attributes")).toContainText("gen_ai.usage.cache_read.input_tokens");
});
