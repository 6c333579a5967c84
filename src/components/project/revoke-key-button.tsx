"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useTRPC } from "@/components/trpc/react";
import { formErrorOf } from "@/components/trpc/errors";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { FormError } from "@/components/ui/field";

type Scope = { orgSlug: string; projectSlug: string };

export function RevokeKeyButton({ scope, apiKey }: { scope: Scope; apiKey: { id: string; name: string; prefix: string } }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const revoke = useMutation(trpc.apiKey.revoke.mutationOptions());
  const [open, setOpen] = useState(false);

  async function confirm() {
    try {
      await revoke.mutateAsync({ ...scope, keyId: apiKey.id });
    } catch {
      return;
    }
    await queryClient.invalidateQueries({ queryKey: trpc.apiKey.list.queryKey(scope) });
    setOpen(false);
  }

  return (
    <>
      <Button variant="secondary" size="sm" onClick={() => setOpen(true)} aria-label={`Revoke ${apiKey.name}`}>
        Revoke
      </Button>
      <Dialog
        open={open}
        onClose={() => setOpen(false)}
        title={`Revoke “${apiKey.name}”?`}
        footer={
          <>
            <Button variant="secondary" onClick={() => setOpen(false)}>
              Cancel
            </Button>
            <Button variant="danger" onClick={confirm} loading={revoke.isPending}>
              Revoke key
            </Button>
          </>
        }
      >
        <FormError message={formErrorOf(revoke.error)} />
        <p className="text-gray-600">
          Requests using <code className="rounded bg-gray-100 px-1 font-mono text-xs">{apiKey.prefix}…</code> will be refused immediately. This cannot be
          undone.
        </p>
      </Dialog>
    </>
  );
}
