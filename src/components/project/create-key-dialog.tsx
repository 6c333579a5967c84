"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { useTRPC } from "@/components/trpc/react";
import { fieldErrorsOf, formErrorOf } from "@/components/trpc/errors";
import { Button } from "@/components/ui/button";
import { CopyField } from "@/components/ui/copy-button";
import { Dialog } from "@/components/ui/dialog";
import { FormError, SelectField, TextField } from "@/components/ui/field";

type Scope = { orgSlug: string; projectSlug: string };

/** Create a key (name + scope); then show its secret exactly once, until the dialog closes. */
export function CreateKeyDialog({ scope, open, onClose }: { scope: Scope; open: boolean; onClose: () => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const create = useMutation(trpc.apiKey.create.mutationOptions());
  const [name, setName] = useState("");
  const [keyScope, setKeyScope] = useState<"ingest" | "read">("ingest");
  const [secret, setSecret] = useState<string | null>(null);
  const fieldErrors = fieldErrorsOf(create.error);

  function close() {
    setSecret(null);
    setName("");
    create.reset();
    onClose();
  }

  async function submit(event: FormEvent) {
    event.preventDefault();
    const created = await create.mutateAsync({ ...scope, name, scope: keyScope }).catch(() => null);
    if (!created) return;
    setSecret(created.secret);
    await queryClient.invalidateQueries({ queryKey: trpc.apiKey.list.queryKey(scope) });
  }

  if (secret) {
    return (
      <Dialog open={open} onClose={close} title="Copy your new API key" footer={<Button onClick={close}>Done</Button>}>
        <div className="rounded-md border border-amber-200 bg-amber-50 px-3 py-2 text-amber-800">
          This is the only time the secret is shown. Store it somewhere safe now; afterwards only its prefix is listed.
        </div>
        <CopyField label="API key secret" value={secret} />
      </Dialog>
    );
  }

  return (
    <Dialog open={open} onClose={close} title="Create API key">
      <form onSubmit={submit} className="space-y-4" noValidate>
        <FormError message={formErrorOf(create.error)} />
        <TextField
          label="Key name"
          name="name"
          required
          autoFocus
          value={name}
          onChange={(e) => setName(e.target.value)}
          error={fieldErrors.name}
          hint="Where it is used, e.g. “production web”."
        />
        <SelectField label="Scope" name="scope" value={keyScope} onChange={(e) => setKeyScope(e.target.value as "ingest" | "read")} error={fieldErrors.scope}>
          <option value="ingest">ingest — send events</option>
          <option value="read">read — query data</option>
        </SelectField>
        <div className="flex justify-end gap-2">
          <Button variant="secondary" onClick={close}>
            Cancel
          </Button>
          <Button type="submit" loading={create.isPending}>
            Create key
          </Button>
        </div>
      </form>
    </Dialog>
  );
}
