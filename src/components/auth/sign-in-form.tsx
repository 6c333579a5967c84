"use client";

import { useState, type FormEvent } from "react";
import { Button } from "@/components/ui/button";
import { FormError, TextField } from "@/components/ui/field";
import { signInErrorMessage, signInWithPassword } from "./sign-in";

/** E-mail + password; calls `onSignedIn` after a successful sign-in. */
export function SignInForm({
  defaultEmail = "",
  lockEmail = false,
  onSignedIn,
}: {
  defaultEmail?: string;
  lockEmail?: boolean;
  onSignedIn: () => void | Promise<void>;
}) {
  const [email, setEmail] = useState(defaultEmail);
  const [password, setPassword] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setPending(true);
    setError(null);
    try {
      const result = await signInWithPassword(email, password);
      if (result.ok) return await onSignedIn();
      setError(signInErrorMessage(result));
    } catch {
      setError("Could not reach the server, please try again");
    } finally {
      setPending(false);
    }
  }

  return (
    <form onSubmit={submit} className="space-y-4" noValidate>
      <FormError message={error} />
      <TextField
        label="E-mail"
        type="email"
        name="email"
        autoComplete="email"
        required
        value={email}
        readOnly={lockEmail}
        onChange={(e) => setEmail(e.target.value)}
      />
      <TextField
        label="Password"
        type="password"
        name="password"
        autoComplete="current-password"
        required
        value={password}
        onChange={(e) => setPassword(e.target.value)}
      />
      <Button type="submit" className="w-full" loading={pending}>
        Sign in
      </Button>
    </form>
  );
}
