/**
 * Notification channels: e-mail to chosen members, Slack incoming webhook, signed generic webhook.
 * A webhook's whsec_ secret is returned once, at creation; lists never show it. URLs pass the SSRF
 * guard when saved. `sendTestNotification` delivers a test message right away and reports the outcome.
 */
import { AppError } from "@/server/app-error";
import { auditFromActor, recordAudit, type AuditActor } from "../audit/record";
import { prisma, type Prisma } from "../db/prisma";
import { deliverNotification, type DeliveryResult, type FailureCategory } from "./notify";
import { ZChannelConfig, type ChannelConfig, type ZChannelFields, type ZChannelUpdate } from "./schemas";
import { newWebhookSecret } from "./signing";
import { assertSafeWebhookUrl, UnsafeUrlError } from "./ssrf";
import type { z } from "zod";

type ProjectRef = { id: string; orgId: string; name?: string };

async function validateConfig(orgId: string, config: ChannelConfig) {
  if (config.kind === "email") {
    const members = await prisma.membership.count({ where: { orgId, userId: { in: config.userIds } } });
    if (members !== new Set(config.userIds).size) throw new AppError("BAD_REQUEST", "config.userIds: every recipient must be a member of this organisation");
    return;
  }
  try {
    await assertSafeWebhookUrl(config.url);
  } catch (err) {
    if (err instanceof UnsafeUrlError) throw new AppError("BAD_REQUEST", `config.url: ${err.message}`);
    throw err;
  }
}

const view = (c: Prisma.AlertChannelGetPayload<object>) => {
  const config = ZChannelConfig.parse(c.config);
  return {
    id: c.id,
    name: c.name,
    kind: c.kind,
    maxPerHour: c.maxPerHour,
    disabledAt: c.disabledAt,
    disabledReason: c.disabledReason,
    createdAt: c.createdAt,
    config: config.kind === "email" ? config : { kind: config.kind, url: redactUrl(config.url) },
  };
};

/** Slack and webhook URLs carry secrets in their path: show the origin and a hint only. */
const redactUrl = (url: string) => {
  const u = new URL(url);
  return `${u.origin}/…${u.pathname.slice(-4)}`;
};

export async function createAlertChannel(options: { project: ProjectRef; input: z.infer<typeof ZChannelFields>; actor: AuditActor }) {
  const { project, input, actor } = options;
  await validateConfig(project.orgId, input.config);
  const secret = input.config.kind === "webhook" ? newWebhookSecret() : null;
  return prisma.$transaction(async (tx) => {
    const channel = await tx.alertChannel.create({
      data: {
        projectId: project.id,
        name: input.name,
        kind: input.config.kind,
        config: input.config as Prisma.InputJsonValue,
        secret,
        maxPerHour: input.maxPerHour,
        createdById: actor.userId,
      },
    });
    await recordAudit(
      auditFromActor(actor, {
        orgId: project.orgId,
        action: "alert_channel.created",
        targetType: "alert_channel",
        targetId: channel.id,
        metadata: { projectId: project.id, kind: channel.kind },
      }),
      tx,
    );
    return { ...view(channel), ...(secret ? { secret } : {}) };
  });
}

/**
 * Edits a channel's name, limit and destination (its type stays). A webhook keeps its secret and
 * never shows it again; a new Slack or webhook URL passes the SSRF guard and re-enables a channel
 * that its old endpoint had disabled (410 Gone).
 */
export async function updateAlertChannel(options: { project: ProjectRef; input: z.infer<typeof ZChannelUpdate>; actor: AuditActor }) {
  const { project, input, actor } = options;
  const existing = await prisma.alertChannel.findFirst({ where: { id: input.id, projectId: project.id } });
  if (!existing) throw new AppError("NOT_FOUND", "Channel not found");
  const stored = ZChannelConfig.parse(existing.config);
  let config: ChannelConfig | undefined;
  if (input.config) {
    if (input.config.kind !== stored.kind)
      throw new AppError("BAD_REQUEST", `config.kind: a ${stored.kind} channel cannot become ${input.config.kind}; add a new channel instead`);
    if (input.config.kind === "email") config = input.config;
    else if (input.config.url !== undefined) config = { kind: input.config.kind, url: input.config.url };
  }
  if (config) await validateConfig(project.orgId, config);
  const urlChanged = config !== undefined && config.kind !== "email" && stored.kind !== "email" && config.url !== stored.url;
  const recipientsChanged = config?.kind === "email" && stored.kind === "email" && [...config.userIds].sort().join() !== [...stored.userIds].sort().join();
  const fields = [
    ...(input.name !== undefined && input.name !== existing.name ? ["name"] : []),
    ...(input.maxPerHour !== undefined && input.maxPerHour !== existing.maxPerHour ? ["maxPerHour"] : []),
    ...(recipientsChanged ? ["recipients"] : urlChanged ? ["url"] : []),
  ];
  return prisma.$transaction(async (tx) => {
    const channel = await tx.alertChannel.update({
      where: { id: existing.id },
      data: {
        name: input.name,
        maxPerHour: input.maxPerHour,
        updatedAt: new Date(),
        ...(config ? { config: config as Prisma.InputJsonValue } : {}),
        ...(urlChanged ? { disabledAt: null, disabledReason: null } : {}),
      },
    });
    // Field names only: a Slack or webhook URL carries its own secret in the path.
    await recordAudit(
      auditFromActor(actor, {
        orgId: project.orgId,
        action: "alert_channel.updated",
        targetType: "alert_channel",
        targetId: channel.id,
        metadata: { projectId: project.id, kind: channel.kind, fields },
      }),
      tx,
    );
    return view(channel);
  });
}

export async function deleteAlertChannel(options: { project: ProjectRef; channelId: string; actor: AuditActor }) {
  const { project, channelId, actor } = options;
  return prisma.$transaction(async (tx) => {
    const { count } = await tx.alertChannel.deleteMany({ where: { id: channelId, projectId: project.id } });
    if (!count) throw new AppError("NOT_FOUND", "Channel not found");
    await tx.$executeRaw`UPDATE alert_rules SET channel_ids = array_remove(channel_ids, ${channelId}::uuid) WHERE project_id = ${project.id}::uuid`;
    await recordAudit(
      auditFromActor(actor, {
        orgId: project.orgId,
        action: "alert_channel.deleted",
        targetType: "alert_channel",
        targetId: channelId,
        metadata: { projectId: project.id },
      }),
      tx,
    );
    return { deleted: true as const };
  });
}

export async function listAlertChannels(options: { projectId: string }) {
  const channels = await prisma.alertChannel.findMany({ where: { projectId: options.projectId }, orderBy: { createdAt: "asc" } });
  return channels.map(view);
}

/** Sends a test message now (not through the outbox, not rate limited) and says whether it arrived. */
export async function sendTestNotification(options: { project: ProjectRef & { name: string }; channelId: string }) {
  const c = await prisma.alertChannel.findFirst({ where: { id: options.channelId, projectId: options.project.id } });
  if (!c) throw new AppError("NOT_FOUND", "Channel not found");
  const result = await deliverNotification(
    { id: c.id, orgId: options.project.orgId, config: ZChannelConfig.parse(c.config), secret: c.secret },
    {
      kind: "test",
      title: `Test notification for ${c.name}`,
      text: `This is a test from Sightline project ${options.project.name}. If you can read it, the channel works.`,
      severity: "info",
      project: { id: options.project.id, name: options.project.name },
      rule: null,
      incidentId: null,
      dedupKey: null,
      value: null,
      url: null,
      items: [],
    },
  );
  return testOutcome(result);
}

/**
 * What "send test notification" tells the caller: delivered, refused by the guard, or failed with
 * a category. Never the raw network error ("connect ECONNREFUSED 10.0.0.7:5432" would make the
 * button a port scanner); an HTTP status is the endpoint's own answer, so it is shown.
 */
export function testOutcome(result: DeliveryResult) {
  if (result.ok) return { delivered: true as const, outcome: "delivered" as const };
  const messages: Record<FailureCategory, string> = {
    refused: result.error.replace(/^refused: /, ""),
    http_status: `the endpoint answered HTTP ${result.status}`,
    timeout: "the endpoint did not answer in time",
    connection: "no connection could be made to the endpoint",
    email: result.error,
  };
  return {
    delivered: false as const,
    outcome: result.category === "refused" ? ("refused" as const) : ("failed" as const),
    category: result.category,
    error: messages[result.category],
  };
}
