/**
 * Model prices in project settings: the built-in table (read-only) and the project's own
 * overrides (create / update / delete). An update bumps the entry's version, so stored calls say
 * which version priced them; `recomputeCosts` re-applies prices to a chosen time range.
 */
import { z } from "zod";
import { auditFromActor, recordAudit, type AuditActor } from "../audit/record";
import { prisma } from "../db/prisma";
import { notFound } from "@/server/app-error";
import { compilePricePattern, invalidatePriceCache } from "./prices";

const rate = z.number().nonnegative("Prices cannot be negative").max(100_000).finite();

export const ZPriceOverride = z.object({
  provider: z.string().trim().min(1, "Provider is required").max(64),
  model: z.string().trim().min(1, "Model is required").max(256),
  matchPattern: z
    .string()
    .trim()
    .min(1, "Enter a pattern such as ^gpt-4o(-\\d{4}-\\d{2}-\\d{2})?$")
    .max(512)
    .superRefine((p, ctx) => {
      try {
        compilePricePattern(p);
      } catch (error) {
        ctx.addIssue({ code: "custom", message: `Not a usable regular expression: ${(error as Error).message}` });
      }
    }),
  effectiveFrom: z.coerce.date().default(() => new Date(0)),
  inputPer1m: rate,
  cachedInputPer1m: rate.nullable().default(null),
  cacheWritePer1m: rate.nullable().default(null),
  outputPer1m: rate,
  reasoningPer1m: rate.nullable().default(null),
  sourceUrl: z.url("Enter a URL").max(1024).nullable().default(null),
});
type PriceOverrideInput = z.input<typeof ZPriceOverride>;

type Project = { id: string; orgId: string };

const SELECT = {
  id: true,
  projectId: true,
  provider: true,
  model: true,
  matchPattern: true,
  effectiveFrom: true,
  inputPer1m: true,
  cachedInputPer1m: true,
  cacheWritePer1m: true,
  outputPer1m: true,
  reasoningPer1m: true,
  sourceUrl: true,
  version: true,
  updatedAt: true,
} as const;

type Row = Awaited<ReturnType<typeof prisma.modelPrice.findFirstOrThrow<{ select: typeof SELECT }>>>;
const decimals = (r: Row) => ({
  ...r,
  inputPer1m: r.inputPer1m.toString(),
  cachedInputPer1m: r.cachedInputPer1m?.toString() ?? null,
  cacheWritePer1m: r.cacheWritePer1m?.toString() ?? null,
  outputPer1m: r.outputPer1m.toString(),
  reasoningPer1m: r.reasoningPer1m?.toString() ?? null,
});

export async function listModelPrices({ projectId }: { projectId: string }) {
  const rows = await prisma.modelPrice.findMany({
    where: { OR: [{ projectId: null }, { projectId }] },
    orderBy: [{ provider: "asc" }, { model: "asc" }, { effectiveFrom: "desc" }],
    select: SELECT,
  });
  return {
    builtIn: rows.filter((r) => r.projectId === null).map(decimals),
    overrides: rows.filter((r) => r.projectId !== null).map(decimals),
  };
}

async function audit(
  actor: AuditActor,
  project: Project,
  id: string,
  change: string,
  metadata: Record<string, unknown>,
  tx: Parameters<typeof recordAudit>[1],
) {
  await recordAudit(
    auditFromActor(actor, {
      orgId: project.orgId,
      action: "settings.changed",
      targetType: "model_price",
      targetId: id,
      metadata: { projectId: project.id, change, ...metadata },
    }),
    tx,
  );
}

export async function createPriceOverride({ project, input, actor }: { project: Project; input: PriceOverrideInput; actor: AuditActor }) {
  const data = ZPriceOverride.parse(input);
  const row = await prisma.$transaction(async (tx) => {
    const created = await tx.modelPrice.create({ data: { ...data, projectId: project.id }, select: SELECT });
    await audit(actor, project, created.id, "model_price.created", { model: data.model, matchPattern: data.matchPattern }, tx);
    return created;
  });
  invalidatePriceCache(project.id);
  return decimals(row);
}

export async function updatePriceOverride({
  project,
  priceId,
  input,
  actor,
}: {
  project: Project;
  priceId: string;
  input: PriceOverrideInput;
  actor: AuditActor;
}) {
  const data = ZPriceOverride.parse(input);
  const row = await prisma.$transaction(async (tx) => {
    const existing = await tx.modelPrice.findFirst({ where: { id: priceId, projectId: project.id }, select: { id: true, version: true } });
    if (!existing) throw notFound("Price override not found (built-in prices cannot be edited; add an override)");
    const updated = await tx.modelPrice.update({
      where: { id: existing.id },
      data: { ...data, version: existing.version + 1, updatedAt: new Date() },
      select: SELECT,
    });
    await audit(actor, project, existing.id, "model_price.updated", { model: data.model, version: updated.version }, tx);
    return updated;
  });
  invalidatePriceCache(project.id);
  return decimals(row);
}

export async function deletePriceOverride({ project, priceId, actor }: { project: Project; priceId: string; actor: AuditActor }) {
  await prisma.$transaction(async (tx) => {
    const existing = await tx.modelPrice.findFirst({ where: { id: priceId, projectId: project.id }, select: { id: true, model: true } });
    if (!existing) throw notFound("Price override not found");
    await tx.modelPrice.delete({ where: { id: existing.id } });
    await audit(actor, project, existing.id, "model_price.deleted", { model: existing.model }, tx);
  });
  invalidatePriceCache(project.id);
  return { id: priceId };
}
