/** Who sees LLM spend: owners always; owners choose which other roles do (an organisation setting). */
import { z } from "zod";
import { auditFromActor, recordAudit, type AuditActor } from "@/server/audit/record";
import { prisma } from "@/server/db/prisma";

export const ZSpendReadRoles = z.object({
  roles: z
    .array(z.enum(["admin", "member", "viewer"]))
    .max(3)
    .transform((r) => [...new Set(r)]),
});

export async function getSpendReadRoles(options: { orgId: string }) {
  const org = await prisma.organization.findUniqueOrThrow({ where: { id: options.orgId }, select: { spendReadRoles: true } });
  return { roles: org.spendReadRoles.filter((r) => r !== "owner"), ownersAlways: true as const };
}

export async function setSpendReadRoles(options: { orgId: string; roles: Array<"admin" | "member" | "viewer">; actor: AuditActor }) {
  return prisma.$transaction(async (tx) => {
    const before = await tx.organization.findUniqueOrThrow({ where: { id: options.orgId }, select: { spendReadRoles: true } });
    const roles = ["owner" as const, ...options.roles];
    await tx.organization.update({ where: { id: options.orgId }, data: { spendReadRoles: roles } });
    await recordAudit(
      auditFromActor(options.actor, {
        orgId: options.orgId,
        action: "settings.changed",
        targetType: "organization",
        targetId: options.orgId,
        metadata: { setting: "spend_read_roles", from: before.spendReadRoles, to: roles },
      }),
      tx,
    );
    return { roles: options.roles, ownersAlways: true as const };
  });
}

/** Fields of an LLM call row that reveal money: its cost and the price entry that produced it. */
const LLM_CALL_SPEND_FIELDS = ["costUsd", "costSource", "priceId", "priceVersion"] as const;

/**
 * Attribute keys that carry money (`gen_ai.usage.cost`, `llm.cost_usd`, `price`, `spend`…): the
 * OpenTelemetry GenAI mapping keeps `gen_ai.*` attributes on spans and LLM calls, cost included.
 */
const SPEND_ATTRIBUTE = /(^|[._\-\s])(cost|costs|price|prices|pricing|spend)([._\-\s]|usd|$)|cost_?usd/i;

function withoutSpendAttributes(attributes: unknown): unknown {
  if (!attributes || typeof attributes !== "object" || Array.isArray(attributes)) return attributes;
  return Object.fromEntries(Object.entries(attributes).filter(([k]) => !SPEND_ATTRIBUTE.test(k)));
}

type Row = Record<string, unknown>;
const withAttributes = <T extends Row>(row: T): T => ("attributes" in row ? { ...row, attributes: withoutSpendAttributes(row.attributes) } : row);

/** An LLM call without its cost fields or money attributes, for callers without `spend:read`. */
export function llmCallWithoutSpend<T extends Row>(call: T): Omit<T, (typeof LLM_CALL_SPEND_FIELDS)[number]> {
  const rest: Row = { ...call };
  for (const field of LLM_CALL_SPEND_FIELDS) delete rest[field];
  return withAttributes(rest) as Omit<T, (typeof LLM_CALL_SPEND_FIELDS)[number]>;
}

/**
 * A trace (src/server/query/traces.ts) as a caller without `spend:read` may see it: its LLM calls
 * lose their cost fields, and spans, span events and LLM calls lose attributes that name money.
 */
export function traceWithoutSpend<T extends { spans: Row[]; llmCalls: Row[] }>(trace: T) {
  return {
    ...trace,
    spans: trace.spans.map((span) => ({
      ...withAttributes(span),
      ...(Array.isArray(span.events) ? { events: (span.events as unknown[]).map((e) => (e && typeof e === "object" ? withAttributes(e as Row) : e)) } : {}),
    })),
    llmCalls: trace.llmCalls.map(llmCallWithoutSpend),
  };
}
