"use client";

import { useMutation } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { useTRPC } from "@/components/trpc/react";
import { fieldErrorsOf, formErrorOf } from "@/components/trpc/errors";
import { Button } from "@/components/ui/button";
import { FormError, TextField } from "@/components/ui/field";
import { signInErrorMessage, signInWithPassword } from "./sign-in";

/**
 * Name, e-mail, password: creates the account (and its personal organisation), then signs in — or,
 * when the portal confirms addresses by e-mail, says to follow the link sent there.
 */
export function SignUpForm({
  defaultEmail = "",
  lockEmail = false,
  invitationToken,
  onSignedIn,
}: {
  defaultEmail?: string;
  lockEmail?: boolean;
  invitationToken?: string;
  onSignedIn: () => void | Promise<void>;
}) {
  const trpc = useTRPC();
  const signUp = useMutation(trpc.account.signUp.mutationOptions());
  const [form, setForm] = useState({ name: "", email: defaultEmail, password: "" });
  const [signInError, setSignInError] = useState<string | null>(null);
  const [checkEmail, setCheckEmail] = useState<string | null>(null);
  const fieldErrors = fieldErrorsOf(signUp.error);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setSignInError(null);
    let created: Awaited<ReturnType<typeof signUp.mutateAsync>>;
    try {
      created = await signUp.mutateAsync({ ...form, invitationToken });
    } catch {
      return;
    }
    if (created.status === "check_email") return setCheckEmail(created.email);
    const result = await signInWithPassword(form.email, form.password);
    if (result.ok) return onSignedIn();
    setSignInError(signInErrorMessage(result));
  }

  if (checkEmail) {
    return (
      <div role="status" className="rounded-md border border-blue-200 bg-blue-50 p-4 text-sm text-blue-900">
        <p className="font-medium">Check your inbox</p>
        <p className="mt-1">
          We sent a link to <strong>{checkEmail}</strong>. Follow it to finish creating your account (if this address already has one, the e-mail says so and
          how to sign in).
        </p>
      </div>
    );
  }

  const set = (key: keyof typeof form) => (e: { target: { value: string } }) => setForm((f) => ({ ...f, [key]: e.target.value }));
  return (
    <form onSubmit={submit} className="space-y-4" noValidate>
      <FormError message={signInError ?? formErrorOf(signUp.error)} />
      <TextField label="Name" name="name" autoComplete="name" required value={form.name} onChange={set("name")} error={fieldErrors.name} />
      <TextField
        label="E-mail"
        type="email"
        name="email"
        autoComplete="email"
        required
        readOnly={lockEmail}
        value={form.email}
        onChange={set("email")}
        error={fieldErrors.email}
      />
      <TextField
        label="Password"
        type="password"
        name="password"
        autoComplete="new-password"
        required
        value={form.password}
        onChange={set("password")}
        error={fieldErrors.password}
        hint="At least 10 characters, mixing letters with digits or symbols."
      />
      <Button type="submit" className="w-full" loading={signUp.isPending}>
        Create account
      </Button>
    </form>
  );
}
