"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { useTRPC } from "@/components/trpc/react";
import { fieldErrorsOf, formErrorOf } from "@/components/trpc/errors";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { FormError, TextField } from "@/components/ui/field";

export function CreateProjectDialog({ orgSlug, open, onClose }: { orgSlug: string; open: boolean; onClose: () => void }) {
  const trpc = useTRPC();
  const router = useRouter();
  const queryClient = useQueryClient();
  const create = useMutation(trpc.project.create.mutationOptions());
  const [name, setName] = useState("");
  const fieldErrors = fieldErrorsOf(create.error);

  async function submit(event: FormEvent) {
    event.preventDefault();
    const project = await create.mutateAsync({ orgSlug, name }).catch(() => null);
    if (!project) return;
    await queryClient.invalidateQueries({ queryKey: trpc.project.list.queryKey({ orgSlug }) });
    setName("");
    onClose();
    router.push(`/${orgSlug}/${project.slug}`);
  }

  return (
    <Dialog open={open} onClose={onClose} title="New project">
      <form onSubmit={submit} className="space-y-4" noValidate>
        <FormError message={formErrorOf(create.error)} />
        <TextField
          label="Project name"
          name="name"
          required
          autoFocus
          value={name}
          onChange={(e) => setName(e.target.value)}
          error={fieldErrors.name}
          hint="One app or service, e.g. “checkout-api”."
        />
        <div className="flex justify-end gap-2">
          <Button variant="secondary" onClick={onClose}>
            Cancel
          </Button>
          <Button type="submit" loading={create.isPending}>
            Create project
          </Button>
        </div>
      </form>
    </Dialog>
  );
}
