"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { useProjectInput } from "@/components/dashboards/use-project";
import { useTRPC } from "@/components/trpc/react";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { FormError, SelectField, TextField } from "@/components/ui/field";
import { errorAt, pathErrorsOf } from "./field-errors";

const DURATIONS = [
  { value: "60", label: "1 hour" },
  { value: "240", label: "4 hours" },
  { value: "1440", label: "1 day" },
  { value: "10080", label: "1 week" },
  { value: "custom", label: "Until a time…" },
];

/** `datetime-local` value in the viewer's zone for a Date. */
const localInput = (d: Date) => new Date(d.getTime() - d.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);

/** Mute one rule (or a chosen one) until a time; the rule keeps evaluating and notifies again when the silence ends. */
export function SilenceDialog({ rule, rules, onClose }: { rule?: { id: string; name: string }; rules?: { id: string; name: string }[]; onClose: () => void }) {
  const trpc = useTRPC();
  const scope = useProjectInput();
  const queryClient = useQueryClient();
  const create = useMutation(trpc.alerts.createSilence.mutationOptions());
  const [ruleId, setRuleId] = useState(rule?.id ?? rules?.[0]?.id ?? "");
  const [duration, setDuration] = useState("60");
  const [until, setUntil] = useState(() => localInput(new Date(Date.now() + 2 * 3600_000)));
  const [reason, setReason] = useState("");
  const errors = pathErrorsOf(create.error);

  async function submit(event: FormEvent) {
    event.preventDefault();
    const endsAt = duration === "custom" ? new Date(until) : new Date(Date.now() + Number(duration) * 60_000);
    const done = await create.mutateAsync({ ...scope, ruleId, endsAt, reason: reason.trim() || undefined }).catch(() => null);
    if (!done) return;
    await queryClient.invalidateQueries({ queryKey: trpc.alerts.listRules.queryKey(scope) });
    onClose();
  }

  return (
    <Dialog open onClose={onClose} title={rule ? `Silence ${rule.name}` : "New silence"}>
      <form onSubmit={submit} className="space-y-4" noValidate>
        <FormError message={errors[""]} />
        {!rule && (
          <SelectField label="Rule" value={ruleId} onChange={(e) => setRuleId(e.target.value)} error={errorAt(errors, "ruleId")}>
            {(rules ?? []).map((r) => (
              <option key={r.id} value={r.id}>
                {r.name}
              </option>
            ))}
          </SelectField>
        )}
        <SelectField label="Silence for" value={duration} onChange={(e) => setDuration(e.target.value)}>
          {DURATIONS.map((d) => (
            <option key={d.value} value={d.value}>
              {d.label}
            </option>
          ))}
        </SelectField>
        {duration === "custom" && (
          <TextField
            label="Ends at"
            type="datetime-local"
            value={until}
            onChange={(e) => setUntil(e.target.value)}
            error={errorAt(errors, "endsAt")}
            hint={`Your time zone (${Intl.DateTimeFormat().resolvedOptions().timeZone}).`}
          />
        )}
        {duration !== "custom" && errorAt(errors, "endsAt") && <FormError message={errorAt(errors, "endsAt")} />}
        <TextField
          label="Reason"
          value={reason}
          onChange={(e) => setReason(e.target.value)}
          error={errorAt(errors, "reason")}
          hint="Optional, e.g. “deploying the checkout fix”."
        />
        <div className="flex justify-end gap-2">
          <Button variant="secondary" onClick={onClose}>
            Cancel
          </Button>
          <Button type="submit" loading={create.isPending} disabled={!ruleId}>
            Silence
          </Button>
        </div>
      </form>
    </Dialog>
  );
}
