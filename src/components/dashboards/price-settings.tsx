"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useOrg } from "@/components/org/use-org";
import { fieldErrorsOf, formErrorOf } from "@/components/trpc/errors";
import { useTRPC } from "@/components/trpc/react";
import { Button } from "@/components/ui/button";
import { TextField } from "@/components/ui/field";
import { EmptyState, ErrorNotice, Loading, PageHeader, Panel } from "@/components/ui/states";
import { Time } from "@/components/ui/time";
import { fmtCount } from "./format";
import { useProjectInput } from "./use-project";

type PriceRow = {
  id: string;
  provider: string;
  model: string;
  matchPattern: string;
  effectiveFrom: Date;
  inputPer1m: string;
  cachedInputPer1m: string | null;
  outputPer1m: string;
  reasoningPer1m: string | null;
  version: number;
};

const EMPTY = { provider: "", model: "", matchPattern: "", inputPer1m: "", cachedInputPer1m: "", outputPer1m: "" };
const dollars = (s: string | null) => (s == null ? "—" : `$${Number(s).toFixed(Number(s) < 1 ? 3 : 2)}`);
const localInput = (d: Date) => new Date(d.getTime() - d.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);

function PriceTable({ rows, label, onDelete }: { rows: PriceRow[]; label: string; onDelete?: (r: PriceRow) => void }) {
  return (
    <div className="max-h-96 overflow-y-auto">
      <table aria-label={label} className="min-w-full text-sm">
        <thead className="sticky top-0 bg-white">
          <tr className="text-left text-xs uppercase tracking-wide text-gray-500">
            <th className="py-2">Provider</th>
            <th>Model</th>
            <th>Matches</th>
            <th className="text-right">Input / 1M</th>
            <th className="text-right">Cached / 1M</th>
            <th className="text-right">Output / 1M</th>
            <th className="pl-3">From</th>
            {onDelete && <th />}
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.id} className="border-t border-gray-100">
              <td className="py-1.5 pr-3 text-gray-600">{r.provider}</td>
              <td className="pr-3 font-mono text-xs font-medium">{r.model}</td>
              <td className="pr-3 font-mono text-[11px] text-gray-400">{r.matchPattern}</td>
              <td className="text-right tabular-nums">{dollars(r.inputPer1m)}</td>
              <td className="text-right tabular-nums">{dollars(r.cachedInputPer1m)}</td>
              <td className="text-right tabular-nums">{dollars(r.outputPer1m)}</td>
              <td className="pl-3 text-xs text-gray-500">{new Date(r.effectiveFrom).getTime() === 0 ? "always" : <Time value={r.effectiveFrom} />}</td>
              {onDelete && (
                <td className="text-right">
                  <Button size="sm" variant="ghost" aria-label={`Delete override ${r.model}`} onClick={() => onDelete(r)}>
                    Delete
                  </Button>
                </td>
              )}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function PriceSettings() {
  const trpc = useTRPC();
  const org = useOrg();
  const client = useQueryClient();
  const project = useProjectInput();
  const access = useQuery(trpc.dashboards.spendAccess.queryOptions({ orgSlug: project.orgSlug }));
  const canSeeSpend = access.data?.canSeeSpend === true;
  const prices = useQuery({ ...trpc.ingestSettings.modelPrices.queryOptions(project), enabled: canSeeSpend });
  const invalidate = () => client.invalidateQueries({ queryKey: trpc.ingestSettings.modelPrices.queryKey(project) });
  const [form, setForm] = useState(EMPTY);
  const create = useMutation(
    trpc.ingestSettings.createPriceOverride.mutationOptions({
      onSuccess: () => {
        setForm(EMPTY);
        void invalidate();
      },
    }),
  );
  const remove = useMutation(trpc.ingestSettings.deletePriceOverride.mutationOptions({ onSuccess: () => void invalidate() }));
  const [range, setRange] = useState(() => ({ from: localInput(new Date(Date.now() - 7 * 86_400_000)), to: localInput(new Date()) }));
  const recompute = useMutation(trpc.ingestSettings.recomputeCosts.mutationOptions());
  const canEdit = org.can("settings:update");
  const errors = fieldErrorsOf(create.error);
  if (access.data && !canSeeSpend) {
    return (
      <>
        <PageHeader title="Model prices" />
        <EmptyState title="Prices are hidden">Your role does not have the spend permission in this organisation.</EmptyState>
      </>
    );
  }
  const num = (s: string) => (s.trim() === "" ? null : Number(s));
  return (
    <>
      <PageHeader
        title="Model prices"
        description="Costs are computed at ingest from the first matching price: this project's overrides before the built-in table. Prices are USD per million tokens."
      />
      <div className="space-y-6">
        <Panel title="Project overrides" description="Negotiated rates, fine-tuned or self-hosted models">
          <ErrorNotice error={prices.error ?? remove.error} />
          {!prices.data ? (
            <Loading />
          ) : prices.data.overrides.length ? (
            <PriceTable
              rows={prices.data.overrides as PriceRow[]}
              label="Price overrides"
              onDelete={canEdit ? (r) => remove.mutate({ ...project, priceId: r.id }) : undefined}
            />
          ) : (
            <EmptyState title="No overrides">The built-in prices below apply.</EmptyState>
          )}
          {canEdit && (
            <form
              className="mt-5 grid gap-3 border-t border-gray-100 pt-5 sm:grid-cols-3 lg:grid-cols-7 lg:items-end"
              onSubmit={(e) => {
                e.preventDefault();
                create.mutate({
                  ...project,
                  provider: form.provider,
                  model: form.model,
                  matchPattern: form.matchPattern || `^${form.model.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}$`,
                  inputPer1m: num(form.inputPer1m) ?? Number.NaN,
                  outputPer1m: num(form.outputPer1m) ?? Number.NaN,
                  cachedInputPer1m: num(form.cachedInputPer1m),
                });
              }}
            >
              <TextField
                label="Provider"
                value={form.provider}
                onChange={(e) => setForm({ ...form, provider: e.target.value })}
                error={errors.provider}
                placeholder="openai"
              />
              <TextField
                label="Model"
                value={form.model}
                onChange={(e) => setForm({ ...form, model: e.target.value })}
                error={errors.model}
                placeholder="gpt-4o"
              />
              <TextField
                label="Match pattern"
                value={form.matchPattern}
                onChange={(e) => setForm({ ...form, matchPattern: e.target.value })}
                error={errors.matchPattern}
                placeholder="exact model"
              />
              <TextField
                label="Input $/1M"
                inputMode="decimal"
                value={form.inputPer1m}
                onChange={(e) => setForm({ ...form, inputPer1m: e.target.value })}
                error={errors.inputPer1m}
              />
              <TextField
                label="Cached $/1M"
                inputMode="decimal"
                value={form.cachedInputPer1m}
                onChange={(e) => setForm({ ...form, cachedInputPer1m: e.target.value })}
                error={errors.cachedInputPer1m}
                placeholder="optional"
              />
              <TextField
                label="Output $/1M"
                inputMode="decimal"
                value={form.outputPer1m}
                onChange={(e) => setForm({ ...form, outputPer1m: e.target.value })}
                error={errors.outputPer1m}
              />
              <Button type="submit" loading={create.isPending}>
                Add override
              </Button>
              {formErrorOf(create.error) && (
                <p role="alert" className="text-xs text-red-600 lg:col-span-7">
                  {formErrorOf(create.error)}
                </p>
              )}
            </form>
          )}
        </Panel>
        {canEdit && (
          <Panel title="Recompute costs" description="Re-apply the current prices to LLM calls already stored in a time range (your time zone)">
            <form
              className="flex flex-wrap items-end gap-3"
              onSubmit={(e) => {
                e.preventDefault();
                recompute.mutate({ ...project, from: new Date(range.from), to: new Date(range.to) });
              }}
            >
              <TextField label="From" type="datetime-local" value={range.from} onChange={(e) => setRange({ ...range, from: e.target.value })} />
              <TextField label="To" type="datetime-local" value={range.to} onChange={(e) => setRange({ ...range, to: e.target.value })} />
              <Button type="submit" variant="secondary" loading={recompute.isPending}>
                Recompute costs
              </Button>
            </form>
            {recompute.error && (
              <ErrorNotice error={{ message: Object.values(fieldErrorsOf(recompute.error)).flat()[0] ?? formErrorOf(recompute.error) ?? "Recompute failed" }} />
            )}
            {recompute.data && (
              <p role="status" className="mt-3 text-sm text-gray-700" data-testid="recompute-result">
                Examined {fmtCount(recompute.data.examined)} calls, changed {fmtCount(recompute.data.changed)}
                {"previousTotalUsd" in recompute.data
                  ? `; total $${Number(recompute.data.previousTotalUsd).toFixed(4)} → $${Number(recompute.data.newTotalUsd).toFixed(4)}`
                  : " (amounts hidden: your role does not see LLM spend)"}
                .
              </p>
            )}
          </Panel>
        )}
        <Panel title="Built-in prices" description="Maintained with Sightline; read-only">
          {prices.data ? <PriceTable rows={prices.data.builtIn as PriceRow[]} label="Built-in prices" /> : <Loading />}
        </Panel>
      </div>
    </>
  );
}
