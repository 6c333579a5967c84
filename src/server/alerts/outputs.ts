/**
 * Alert rules and incident details as the alerts router answers them, declared so a field no schema
 * names never leaves the server: a spend rule or incident read without `spend:read` arrives with
 * `moneyHidden: true`, its condition without amounts (ZHiddenSpendConfig), and no last value.
 */
import { z } from "zod";
import { ZHiddenSpendConfig, ZRuleConfig } from "./schemas";

const ZRule = z.object({
  id: z.string(),
  name: z.string(),
  kind: z.string(),
  severity: z.string(),
  channelIds: z.array(z.string()),
  repeatIntervalMinutes: z.number().nullable(),
  enabled: z.boolean(),
  lastEvaluatedAt: z.date().nullable(),
  createdAt: z.date(),
  updatedAt: z.date(),
  silencedUntil: z.date().nullable(),
  silences: z.array(z.object({ id: z.string(), startsAt: z.date(), endsAt: z.date(), reason: z.string().nullable() })),
  state: z.enum(["firing", "pending", "ok"]),
});
export const ZRuleListItem = z.union([
  ZRule.extend({ config: ZRuleConfig, moneyHidden: z.literal(false) }),
  ZRule.extend({ config: ZHiddenSpendConfig, moneyHidden: z.literal(true) }),
]);

export const ZIncidentDetail = z.object({
  id: z.string(),
  projectId: z.string(),
  ruleId: z.string().nullable(),
  seriesKey: z.string(),
  dedupKey: z.string(),
  title: z.string(),
  severity: z.string(),
  status: z.string(),
  labels: z.unknown(),
  lastValue: z.number().nullable(),
  startedAt: z.date(),
  resolvedAt: z.date().nullable(),
  rule: z.object({ id: z.string(), name: z.string() }).nullable(),
  moneyHidden: z.boolean(),
  events: z.array(z.object({ id: z.string(), at: z.date(), kind: z.string(), message: z.string(), detail: z.unknown() })),
  deliveries: z.array(
    z.object({
      id: z.string(),
      kind: z.string(),
      status: z.string(),
      attempts: z.number(),
      lastError: z.string().nullable(),
      nextAttemptAt: z.date(),
      sentAt: z.date().nullable(),
      createdAt: z.date(),
      channel: z.object({ id: z.string(), name: z.string(), kind: z.string() }),
    }),
  ),
});
