/**
 * The pricing service: a second tiny Express app with its own @sightline/node client. Its
 * middleware continues the caller's `traceparent`, so its request span lands in the same trace.
 * Run alone: `SIGHTLINE_SERVICE=pricing PORT=4002 tsx src/pricing.ts`.
 */
import express from "express";
import { expressMiddleware, init, logger } from "@sightline/node";

const PRICES: Record<string, number> = { "sku-1": 19.99, "sku-2": 5, "sku-3": 120 };

export function createPricingApp() {
  const app = express();
  app.use(expressMiddleware());
  app.get("/prices/:sku", async (req, res) => {
    const price = PRICES[req.params.sku] ?? 42;
    await new Promise((r) => setTimeout(r, 3));
    logger.info("Price lookup {sku} → {price}", { sku: req.params.sku, price });
    res.json({ sku: req.params.sku, price, currency: "EUR" });
  });
  return app;
}

if (process.argv[1]?.endsWith("pricing.ts") || process.argv[1]?.endsWith("pricing.js")) {
  init({ service: process.env.SIGHTLINE_SERVICE ?? "pricing" });
  const port = Number(process.env.PORT ?? 4002);
  createPricingApp().listen(port, "127.0.0.1", () => logger.info("pricing listening on {port}", { port }));
}
