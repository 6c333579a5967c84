"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { assignableRoles, type Role } from "@/server/auth/permissions";
import { useTRPC } from "@/components/trpc/react";
import { fieldErrorsOf, formErrorOf } from "@/components/trpc/errors";
import { Button } from "@/components/ui/button";
import { CopyField } from "@/components/ui/copy-button";
import { FormError, SelectField, TextField } from "@/components/ui/field";

/** Invite by e-mail with a role; shows the accept link to copy and whether it was e-mailed. */
export function InviteForm({ orgSlug, myRole }: { orgSlug: string; myRole: Role }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const create = useMutation(trpc.invitation.create.mutationOptions());
  const [email, setEmail] = useState("");
  const [role, setRole] = useState<Role>("member");
  const [sent, setSent] = useState<{ email: string; acceptUrl: string; emailed: boolean } | null>(null);
  const fieldErrors = fieldErrorsOf(create.error);

  async function submit(event: FormEvent) {
    event.preventDefault();
    const invitation = await create.mutateAsync({ orgSlug, email, role }).catch(() => null);
    if (!invitation) return;
    setSent({ email, acceptUrl: invitation.acceptUrl, emailed: invitation.emailed });
    setEmail("");
    await queryClient.invalidateQueries({ queryKey: trpc.invitation.list.queryKey({ orgSlug }) });
  }

  return (
    <div className="space-y-4">
      <form onSubmit={submit} className="grid items-start gap-3 sm:grid-cols-[1fr_10rem_auto]" noValidate>
        <TextField
          label="E-mail"
          type="email"
          name="email"
          required
          value={email}
          onChange={(e) => setEmail(e.target.value)}
          error={fieldErrors.email}
          placeholder="teammate@company.com"
        />
        <SelectField label="Role" name="role" value={role} onChange={(e) => setRole(e.target.value as Role)} error={fieldErrors.role}>
          {assignableRoles(myRole).map((r) => (
            <option key={r} value={r}>
              {r}
            </option>
          ))}
        </SelectField>
        <div className="sm:pt-6">
          <Button type="submit" loading={create.isPending}>
            Send invitation
          </Button>
        </div>
      </form>
      <FormError message={formErrorOf(create.error)} />
      {sent && (
        <div className="space-y-3 rounded-lg border border-emerald-200 bg-emerald-50 p-4" data-testid="invitation-sent">
          <p className="text-sm text-emerald-800">
            Invitation for <strong>{sent.email}</strong> created.{" "}
            {sent.emailed ? "We e-mailed them the link below." : "E-mail is not configured, so send them the link below yourself."}
          </p>
          <CopyField label="Accept link" value={sent.acceptUrl} />
        </div>
      )}
    </div>
  );
}
