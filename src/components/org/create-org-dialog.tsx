"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { useTRPC } from "@/components/trpc/react";
import { fieldErrorsOf, formErrorOf } from "@/components/trpc/errors";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { FormError, TextField } from "@/components/ui/field";

export function CreateOrgForm({ onCreated, onCancel }: { onCreated: (slug: string) => void; onCancel?: () => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const create = useMutation(trpc.org.create.mutationOptions());
  const [name, setName] = useState("");
  const fieldErrors = fieldErrorsOf(create.error);

  async function submit(event: FormEvent) {
    event.preventDefault();
    const org = await create.mutateAsync({ name }).catch(() => null);
    if (!org) return;
    await queryClient.invalidateQueries({ queryKey: trpc.org.list.queryKey() });
    onCreated(org.slug);
  }

  return (
    <form onSubmit={submit} className="space-y-4" noValidate>
      <FormError message={formErrorOf(create.error)} />
      <TextField
        label="Organisation name"
        name="name"
        required
        autoFocus
        value={name}
        onChange={(e) => setName(e.target.value)}
        error={fieldErrors.name}
        hint="Your team or company. You can invite people next."
      />
      <div className="flex justify-end gap-2">
        {onCancel && (
          <Button variant="secondary" onClick={onCancel}>
            Cancel
          </Button>
        )}
        <Button type="submit" loading={create.isPending}>
          Create organisation
        </Button>
      </div>
    </form>
  );
}

export function CreateOrgDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  const router = useRouter();
  return (
    <Dialog open={open} onClose={onClose} title="New organisation">
      <CreateOrgForm
        onCancel={onClose}
        onCreated={(slug) => {
          onClose();
          router.push(`/${slug}`);
        }}
      />
    </Dialog>
  );
}
