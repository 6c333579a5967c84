/**
 * Channel notifiers: e-mail (Resend via sendEmail), Slack incoming webhook, and a generic webhook
 * signed per Standard Webhooks. Each returns a result instead of throwing, so the outbox can record
 * the failure and retry; URLs pass the SSRF guard before every request and redirects are not followed.
 */
import { randomUUID } from "node:crypto";
import { z } from "zod";
import { prisma } from "../db/prisma";
import { sendEmail } from "../email/send";
import { fetch as undiciFetch } from "undici";
import { pinnedDispatcher, UnsafeUrlError, vetWebhookUrl, type Resolver, type VettedUrl } from "./ssrf";
import { webhookHeaders } from "./signing";
import type { ChannelConfig } from "./schemas";

export const ZNotification = z.object({
  kind: z.enum(["firing", "resolved", "repeat", "test", "digest"]),
  title: z.string(),
  text: z.string(),
  severity: z.enum(["critical", "warning", "info"]),
  project: z.object({ id: z.string(), name: z.string() }),
  rule: z.object({ id: z.string(), name: z.string() }).nullable(),
  incidentId: z.string().nullable(),
  dedupKey: z.string().nullable(),
  value: z.number().nullable(),
  url: z.string().nullable(),
  items: z.array(z.object({ kind: z.string(), title: z.string(), at: z.string() })).default([]),
});
export type Notification = z.infer<typeof ZNotification>;

type ChannelForDelivery = { id: string; orgId: string; config: ChannelConfig; secret: string | null };
/** Why a delivery failed, in words that reveal nothing about the network beyond the endpoint's own answer. */
export type FailureCategory = "refused" | "http_status" | "timeout" | "connection" | "email";
export type DeliveryResult = { ok: true } | { ok: false; error: string; category: FailureCategory; status?: number; permanent?: boolean; disable?: boolean };

const TIMEOUT_MS = 10_000;

const statusWord = (n: Notification) => ({ firing: "FIRING", repeat: "STILL FIRING", resolved: "RESOLVED", test: "TEST", digest: "DIGEST" })[n.kind];

const subjectOf = (n: Notification) => `[${statusWord(n)}${n.kind === "test" || n.kind === "digest" ? "" : ` · ${n.severity}`}] ${n.title}`;

function plainText(n: Notification): string {
  const lines = [subjectOf(n), "", n.text];
  for (const item of n.items) lines.push(`- ${item.at} ${item.kind}: ${item.title}`);
  if (n.url) lines.push("", n.url);
  return lines.join("\n");
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);

function html(n: Notification): string {
  const items = n.items.length ? `<ul>${n.items.map((i) => `<li>${escapeHtml(i.at)} ${escapeHtml(i.kind)}: ${escapeHtml(i.title)}</li>`).join("")}</ul>` : "";
  const link = n.url ? `<p><a href="${escapeHtml(n.url)}">Open in Sightline</a></p>` : "";
  return `<h2>${escapeHtml(subjectOf(n))}</h2><p>${escapeHtml(n.text).replace(/\n/g, "<br>")}</p>${items}${link}`;
}

async function postJson(url: string, body: string, headers: Record<string, string> = {}, resolve?: Resolver): Promise<DeliveryResult> {
  let vetted: VettedUrl;
  try {
    vetted = await vetWebhookUrl(url, { resolve });
  } catch (err) {
    if (err instanceof UnsafeUrlError) return { ok: false, error: `refused: ${err.message}`, permanent: true, category: "refused" };
    throw err;
  }
  const dispatcher = pinnedDispatcher(vetted);
  try {
    const res = await undiciFetch(vetted.url, {
      method: "POST",
      headers: { "content-type": "application/json", "user-agent": "Sightline-Alerts/1", ...headers },
      body,
      redirect: "manual",
      signal: AbortSignal.timeout(TIMEOUT_MS),
      dispatcher,
    });
    await res.arrayBuffer().catch(() => undefined);
    if (res.status >= 200 && res.status < 300) return { ok: true };
    if (res.status === 410)
      return { ok: false, error: "HTTP 410 Gone: the endpoint asked to be disabled", permanent: true, disable: true, category: "http_status", status: 410 };
    return {
      ok: false,
      category: "http_status",
      status: res.status,
      error: `HTTP ${res.status}${res.status === 429 && res.headers.get("retry-after") ? ` (retry after ${res.headers.get("retry-after")} s)` : ""}`,
    };
  } catch (err) {
    const timedOut = (err as Error).name === "TimeoutError" || (err as Error).name === "AbortError";
    return { ok: false, error: `request failed: ${(err as Error).message}`, category: timedOut ? "timeout" : "connection" };
  } finally {
    void dispatcher.close();
  }
}

async function deliverEmail(channel: ChannelForDelivery & { config: { kind: "email" } }, n: Notification): Promise<DeliveryResult> {
  // Only people who are still members of the organisation receive alerts.
  const members = await prisma.membership.findMany({
    where: { orgId: channel.orgId, userId: { in: channel.config.userIds } },
    select: { user: { select: { email: true } } },
  });
  if (members.length === 0) return { ok: false, error: "none of the chosen members belongs to the organisation any more", permanent: true, category: "email" };
  const failures: string[] = [];
  for (const m of members) {
    const result = await sendEmail({ to: m.user.email, subject: subjectOf(n).slice(0, 200), html: html(n), text: plainText(n) });
    if (!result.sent) failures.push(`${m.user.email}: ${result.reason}`);
  }
  return failures.length ? { ok: false, error: `e-mail not sent to ${failures.join(", ")}`, category: "email" } : { ok: true };
}

function slackBody(n: Notification): string {
  const blocks: unknown[] = [
    { type: "header", text: { type: "plain_text", text: subjectOf(n).slice(0, 150) } },
    { type: "section", text: { type: "mrkdwn", text: n.text.slice(0, 2900) } },
  ];
  if (n.items.length)
    blocks.push({
      type: "section",
      text: {
        type: "mrkdwn",
        text: n.items
          .map((i) => `• ${i.at} ${i.kind}: ${i.title}`)
          .join("\n")
          .slice(0, 2900),
      },
    });
  if (n.url) blocks.push({ type: "context", elements: [{ type: "mrkdwn", text: `<${n.url}|Open in Sightline>` }] });
  return JSON.stringify({ text: plainText(n).slice(0, 3000), blocks });
}

/** One attempt to deliver `n` on `channel`. `messageId` stays the same across retries (webhook-id). */
export async function deliverNotification(
  channel: ChannelForDelivery,
  n: Notification,
  messageId: string = randomUUID(),
  options: { resolve?: Resolver } = {},
): Promise<DeliveryResult> {
  const config = channel.config;
  if (config.kind === "email") return deliverEmail({ ...channel, config }, n);
  if (config.kind === "slack") return postJson(config.url, slackBody(n), {}, options.resolve);
  if (!channel.secret) return { ok: false, error: "webhook channel has no signing secret", permanent: true, category: "refused" };
  const body = JSON.stringify({ type: `alert.${n.kind}`, timestamp: new Date().toISOString(), data: n });
  const timestamp = Math.floor(Date.now() / 1000);
  return postJson(config.url, body, webhookHeaders(channel.secret, `msg_${messageId.replace(/-/g, "")}`, timestamp, body), options.resolve);
}
