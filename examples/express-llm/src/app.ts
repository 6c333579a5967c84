/**
 * The shop API: one Express app instrumented with @sightline/node. `GET /api/quote/:sku` logs,
 * fetches the price from the pricing service (a second instrumented process: the fetch carries
 * `traceparent`, so both services share the trace), asks an LLM for a one-line pitch, and
 * fails with a CouponError when `?coupon=` is not a known coupon — one trace with a request,
 * logs, an outgoing call, an LLM call and an error.
 */
import express from "express";
import type OpenAI from "openai";
import { expressErrorHandler, expressMiddleware, logger } from "@sightline/node";

export class CouponError extends Error {
  override name = "CouponError";
}

const COUPONS: Record<string, number> = { WELCOME10: 0.1 };
const log = logger.bind({ logger: "shop.quote" });

export function createApp({ pricingUrl, openai, model = "gpt-4o-mini" }: { pricingUrl: string; openai: OpenAI; model?: string }) {
  const app = express();
  app.use(express.json());
  app.use(expressMiddleware({ userId: (req) => req.header("x-user-id") }));

  app.get("/health", (_req, res) => void res.send("ok"));

  app.get("/api/quote/:sku", async (req, res) => {
    const { sku } = req.params;
    const userId = req.header("x-user-id") ?? "anonymous";
    await logger.contextualize({ sku, userId, feature: "quote-pitch" }, async () => {
      log.info("Quoting {sku} for {userId}", { sku, userId });
      const priceRes = await fetch(`${pricingUrl}/prices/${encodeURIComponent(sku)}`);
      if (!priceRes.ok) throw new Error(`pricing service answered ${priceRes.status}`);
      const { price, currency } = (await priceRes.json()) as { price: number; currency: string };
      log.debug("Price for {sku} is {price} {currency}", { sku, price, currency });

      const completion = await openai.chat.completions.create({
        model,
        stream: true,
        messages: [
          { role: "system", content: "Write one upbeat sentence selling the product." },
          { role: "user", content: `Product ${sku} costs ${price} ${currency}.` },
        ],
      });
      let pitch = "";
      for await (const chunk of completion) pitch += chunk.choices[0]?.delta?.content ?? "";
      log.success("Pitch ready for {sku} ({chars} chars)", { sku, chars: pitch.length });

      const coupon = typeof req.query.coupon === "string" ? req.query.coupon : undefined;
      if (coupon && !(coupon in COUPONS)) {
        log.warn("Unknown coupon {coupon}", { coupon });
        throw new CouponError(`Coupon ${coupon} does not exist`);
      }
      const total = coupon ? price * (1 - COUPONS[coupon]!) : price;
      res.json({ sku, price, total, currency, pitch });
    });
  });

  app.use(expressErrorHandler());
  app.use((err: Error, _req: express.Request, res: express.Response, _next: express.NextFunction) => {
    res.status(err instanceof CouponError ? 422 : 500).json({ error: err.message });
  });
  return app;
}
