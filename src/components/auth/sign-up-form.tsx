"use client";

import { useMutation } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { useTRPC } from "@/components/trpc/react";
import { fieldErrorsOf, formErrorOf } from "@/components/trpc/errors";
import { Button } from "@/components/ui/button";
import { FormError, TextField } from "@/components/ui/field";
import { signInErrorMessage, signInWithPassword } from "./sign-in";

/** Name, e-mail, password: creates the account (and its personal organisation), then signs in. */
export function SignUpForm({ defaultEmail = "", lockEmail = false, onSignedIn }: { defaultEmail?: string; lockEmail?: boolean; onSignedIn: () => void | Promise<void> }) {
  const trpc = useTRPC();
  const signUp = useMutation(trpc.account.signUp.mutationOptions());
  const [form, setForm] = useState({ name: "", email: defaultEmail, password: "" });
  const [signInError, setSignInError] = useState<string | null>(null);
  const fieldErrors = fieldErrorsOf(signUp.error);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setSignInError(null);
    try {
      await signUp.mutateAsync(form);
    } catch {
      return;
    }
    const result = await signInWithPassword(form.email, form.password);
    if (result.ok) return onSignedIn();
    setSignInError(signInErrorMessage(result));
  }

  const set = (key: keyof typeof form) => (e: { target: { value: string } }) => setForm((f) => ({ ...f, [key]: e.target.value }));
  return (
    <form onSubmit={submit} className="space-y-4" noValidate>
      <FormError message={signInError ?? formErrorOf(signUp.error)} />
      <TextField label="Name" name="name" autoComplete="name" required value={form.name} onChange={set("name")} error={fieldErrors.name} />
      <TextField label="E-mail" type="email" name="email" autoComplete="email" required readOnly={lockEmail} value={form.email} onChange={set("email")} error={fieldErrors.email} />
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
