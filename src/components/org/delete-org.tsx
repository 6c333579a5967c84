"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { type FormEvent, useState } from "react";
import { useOrg } from "@/components/org/use-org";
import { fieldErrorsOf, formErrorOf } from "@/components/trpc/errors";
import { useTRPC } from "@/components/trpc/react";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { FormError, TextField } from "@/components/ui/field";
import { Panel } from "@/components/ui/states";

/** Owners delete the organisation after typing its slug (org.delete checks it again). */
export function DeleteOrgPanel() {
  const trpc = useTRPC();
  const org = useOrg();
  const router = useRouter();
  const client = useQueryClient();
  const [open, setOpen] = useState(false);
  const [confirm, setConfirm] = useState("");
  const remove = useMutation(trpc.org.delete.mutationOptions());
  if (!org.data) return null;
  const slug = org.data.slug;

  async function submit(event: FormEvent) {
    event.preventDefault();
    const done = await remove.mutateAsync({ orgSlug: slug, confirm }).catch(() => null);
    if (!done) return;
    client.removeQueries();
    router.push("/");
  }

  return (
    <Panel
      title="Delete this organisation"
      description="Its projects, API keys, members' access, alerting, reports and every event it stored are deleted for good. The audit log keeps a record of the deletion."
    >
      {org.can("org:delete") ? (
        <Button variant="danger" onClick={() => setOpen(true)}>
          Delete organisation…
        </Button>
      ) : (
        <p className="text-sm text-gray-500">Only owners can delete the organisation.</p>
      )}
      <Dialog open={open} onClose={() => setOpen(false)} title={`Delete ${org.data.name}?`}>
        <form onSubmit={submit} className="space-y-4" noValidate>
          <p className="text-sm text-gray-700">
            This cannot be undone. Type <strong className="font-mono">{slug}</strong> to confirm.
          </p>
          <FormError message={formErrorOf(remove.error)} />
          <TextField
            label="Organisation slug"
            name="confirm"
            autoComplete="off"
            value={confirm}
            onChange={(e) => setConfirm(e.target.value)}
            error={fieldErrorsOf(remove.error).confirm}
          />
          <div className="flex justify-end gap-2">
            <Button variant="secondary" onClick={() => setOpen(false)}>
              Cancel
            </Button>
            <Button type="submit" variant="danger" disabled={confirm.trim() !== slug} loading={remove.isPending}>
              Delete organisation
            </Button>
          </div>
        </form>
      </Dialog>
    </Panel>
  );
}
