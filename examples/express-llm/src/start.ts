/**
 * Starts the example: the pricing service as a child process (its own SDK client, service
 * "pricing") and the shop API in this process (service "shop-api").
 *
 *   SIGHTLINE_ENDPOINT=http://localhost:3000 SIGHTLINE_API_KEY=sl_… OPENAI_API_KEY=… npm start
 *
 * OPENAI_BASE_URL points the OpenAI client elsewhere (the e2e test uses a loopback fake).
 */
import { spawn } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import OpenAI from "openai";
import { init, logger, wrapOpenAI } from "@sightline/node";
import { createApp } from "./app";

const here = path.dirname(fileURLToPath(import.meta.url));
const port = Number(process.env.PORT ?? 4001);
const pricingPort = Number(process.env.PRICING_PORT ?? port + 1);

init({ service: process.env.SIGHTLINE_SERVICE ?? "shop-api", release: "example-1.0.0", captureUnhandled: true });

const pricing = spawn(process.execPath, [...process.execArgv, path.join(here, "pricing.ts")], {
  stdio: "inherit",
  env: { ...process.env, PORT: String(pricingPort), SIGHTLINE_SERVICE: "pricing" },
});
const stop = () => pricing.kill("SIGTERM");
process.on("exit", stop);

const openai = wrapOpenAI(new OpenAI({ maxRetries: 0 }), { includeUsage: true });
const app = createApp({ pricingUrl: `http://127.0.0.1:${pricingPort}`, openai });
app.listen(port, "127.0.0.1", () => logger.success("shop-api listening on http://127.0.0.1:{port}", { port }));
