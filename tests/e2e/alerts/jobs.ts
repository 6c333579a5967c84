import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import type { APIRequestContext } from "@playwright/test";
import { startFakeResend } from "../../fakes/resend";

export type Mailbox = Awaited<ReturnType<typeof startFakeResend>>;

/** The fake Resend mailbox for jobs this test spawns (the portal server itself keeps e-mail unconfigured). */
export const startMailbox = startFakeResend;

/**
 * Runs `npx tsx scripts/job.ts <name>` as an operator (or the Inngest executor) would, against
 * the e2e server's database and secret (inherited from `npm run test:e2e`), with e-mail going to
 * the fake mailbox. Resolves with the job's result; rejects with its output if it fails.
 */
export function runJob(name: string, mailbox: Mailbox, args: string[] = [], env: Record<string, string> = {}): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    const child = spawn("npx", ["tsx", "scripts/job.ts", name, ...args], {
      env: { ...process.env, RESEND_API_KEY: "re_e2e_fake", RESEND_BASE_URL: mailbox.baseUrl, LOG_LEVEL: "warn", ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    let err = "";
    child.stdout.on("data", (c: Buffer) => (out += c.toString()));
    child.stderr.on("data", (c: Buffer) => (err += c.toString()));
    child.on("exit", (code) => {
      const line = out
        .trim()
        .split("\n")
        .reverse()
        .find((l) => l.startsWith('{"job"'));
      if (code === 0 && line) resolve((JSON.parse(line) as { result: Record<string, unknown> }).result);
      else reject(new Error(`job ${name} exited ${code}:\n${out}\n${err}`));
    });
  });
}

/** `n` error events of one group, stamped 90 s ago so they fall inside the minute the job evaluates. */
export async function sendErrorBurst(request: APIRequestContext, ingestKey: string, n: number): Promise<void> {
  const at = Date.now() - 90_000;
  const id = randomBytes(4).toString("hex");
  const batch = Array.from({ length: n }, (_, i) => ({
    type: "error",
    id: `e2e-${id}-${i}`,
    timestamp: new Date(at + i).toISOString(),
    level: "error",
    environment: "production",
    message: "Payment provider declined the card",
    exception: { values: [{ type: "CardDeclinedError", value: "Payment provider declined the card" }] },
    fingerprint: ["card-declined"],
  }));
  const res = await request.post("/api/v1/ingest", { headers: { authorization: `Bearer ${ingestKey}` }, data: { batch } });
  const body = (await res.json()) as { accepted?: number };
  if (!res.ok() || body.accepted !== n) throw new Error(`ingest answered ${res.status()}: ${JSON.stringify(body).slice(0, 500)}`);
}

/**
 * LLM calls priced by the portal's own price table (gpt-4o: $2.50 / M input, $10 / M output), so
 * each call of 100k input and 20k output tokens costs $0.45. Stamped 90 s ago.
 */
export async function sendPricedLlmCalls(request: APIRequestContext, ingestKey: string, n: number): Promise<void> {
  const at = Date.now() - 90_000;
  const id = randomBytes(4).toString("hex");
  const batch = Array.from({ length: n }, (_, i) => ({
    type: "llm",
    id: `e2e-llm-${id}-${i}`,
    timestamp: new Date(at + i).toISOString(),
    provider: "openai",
    model: "gpt-4o",
    operation: "chat",
    inputTokens: 100_000,
    outputTokens: 20_000,
    feature: "checkout-assistant",
  }));
  const res = await request.post("/api/v1/ingest", { headers: { authorization: `Bearer ${ingestKey}` }, data: { batch } });
  const body = (await res.json()) as { accepted?: number };
  if (!res.ok() || body.accepted !== n) throw new Error(`ingest answered ${res.status()}: ${JSON.stringify(body).slice(0, 500)}`);
}
