"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useOrg } from "@/components/org/use-org";
import { fieldErrorsOf, formErrorOf } from "@/components/trpc/errors";
import { useTRPC } from "@/components/trpc/react";
import { Button } from "@/components/ui/button";
import { SelectField, TextField } from "@/components/ui/field";
import { EmptyState, ErrorNotice, Loading, PageHeader, Panel } from "@/components/ui/states";
import { Time } from "@/components/ui/time";
import { useProjectInput } from "./use-project";

const DEFAULT_RULES = [
  "Values under sensitive keys at any depth: authorization, cookie, set-cookie, password, secret, token, api key, private key, session id, CSRF token, signature — and any key ending in one of those",
  "Card numbers (Luhn-valid, 13–19 digits) in any text",
];

export function RedactionSettings() {
  const trpc = useTRPC();
  const org = useOrg();
  const client = useQueryClient();
  const project = useProjectInput();
  const rules = useQuery(trpc.ingestSettings.redactionRules.queryOptions(project));
  const [form, setForm] = useState({ kind: "key" as "key" | "pattern", pattern: "", description: "" });
  const invalidate = () => client.invalidateQueries({ queryKey: trpc.ingestSettings.redactionRules.queryKey(project) });
  const create = useMutation(
    trpc.ingestSettings.createRedactionRule.mutationOptions({
      onSuccess: () => {
        setForm({ ...form, pattern: "", description: "" });
        void invalidate();
      },
    }),
  );
  const remove = useMutation(trpc.ingestSettings.deleteRedactionRule.mutationOptions({ onSuccess: () => void invalidate() }));
  const canEdit = org.can("settings:update");
  const errors = fieldErrorsOf(create.error);
  return (
    <>
      <PageHeader title="Redaction" description="Applied to every event at ingest, before anything is stored. Redacted values become [REDACTED]." />
      <div className="space-y-6">
        <Panel title="Default rules" description="Always on for every project">
          <ul className="list-disc space-y-1 pl-5 text-sm text-gray-600" data-testid="default-rules">
            {DEFAULT_RULES.map((r) => (
              <li key={r}>{r}</li>
            ))}
          </ul>
        </Panel>
        <Panel title="Project rules" description="Extra key names and regular expressions for this project">
          <ErrorNotice error={rules.error ?? remove.error} />
          {rules.isPending ? (
            <Loading />
          ) : rules.data?.length ? (
            <table aria-label="Redaction rules" className="min-w-full text-sm">
              <thead>
                <tr className="text-left text-xs uppercase tracking-wide text-gray-500">
                  <th className="py-2">Kind</th>
                  <th>Pattern</th>
                  <th>Description</th>
                  <th>Added</th>
                  <th />
                </tr>
              </thead>
              <tbody>
                {rules.data.map((r) => (
                  <tr key={r.id} className="border-t border-gray-100">
                    <td className="py-2 pr-3">{r.kind === "key" ? "Key name" : "Pattern"}</td>
                    <td className="pr-3 font-mono text-xs">{r.pattern}</td>
                    <td className="pr-3 text-gray-500">{r.description ?? "—"}</td>
                    <td className="pr-3 text-gray-500">
                      <Time value={r.createdAt} relative />
                    </td>
                    <td className="text-right">
                      {canEdit && (
                        <Button
                          size="sm"
                          variant="ghost"
                          aria-label={`Delete rule ${r.pattern}`}
                          loading={remove.isPending && remove.variables?.ruleId === r.id}
                          onClick={() => remove.mutate({ ...project, ruleId: r.id })}
                        >
                          Delete
                        </Button>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          ) : (
            <EmptyState title="No project rules">The default rules above still apply.</EmptyState>
          )}
          {canEdit ? (
            <form
              className="mt-5 grid gap-3 border-t border-gray-100 pt-5 sm:grid-cols-[10rem_1fr_1fr_auto] sm:items-end"
              onSubmit={(e) => {
                e.preventDefault();
                create.mutate({ ...project, kind: form.kind, pattern: form.pattern, ...(form.description.trim() ? { description: form.description } : {}) });
              }}
            >
              <SelectField label="Kind" value={form.kind} onChange={(e) => setForm({ ...form, kind: e.target.value as "key" | "pattern" })}>
                <option value="key">Key name</option>
                <option value="pattern">Regular expression</option>
              </SelectField>
              <TextField
                label="Pattern"
                value={form.pattern}
                onChange={(e) => setForm({ ...form, pattern: e.target.value })}
                placeholder={form.kind === "key" ? "e.g. ssn" : "e.g. \\b\\d{3}-\\d{2}-\\d{4}\\b"}
                error={errors.pattern}
              />
              <TextField
                label="Description"
                value={form.description}
                onChange={(e) => setForm({ ...form, description: e.target.value })}
                placeholder="Optional"
              />
              <Button type="submit" loading={create.isPending}>
                Add rule
              </Button>
              {formErrorOf(create.error) && !errors.pattern && (
                <p role="alert" className="text-xs text-red-600 sm:col-span-4">
                  {formErrorOf(create.error)}
                </p>
              )}
            </form>
          ) : (
            <p className="mt-4 text-xs text-gray-500">Only owners and admins can change redaction rules.</p>
          )}
        </Panel>
      </div>
    </>
  );
}
