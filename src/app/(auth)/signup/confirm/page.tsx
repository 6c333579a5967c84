"use client";

import { useMutation } from "@tanstack/react-query";
import Link from "next/link";
import { useSearchParams } from "next/navigation";
import { Suspense } from "react";
import { SignInForm } from "@/components/auth/sign-in-form";
import { fieldErrorsOf, formErrorOf } from "@/components/trpc/errors";
import { useTRPC } from "@/components/trpc/react";
import { Button } from "@/components/ui/button";
import { FormError } from "@/components/ui/field";

/**
 * The link a sign-up e-mail carries. It creates the account only when the person presses the button
 * (a mail scanner that fetches the link does not use it up), then asks for the password once to sign in.
 */
function ConfirmSignUp() {
  const token = useSearchParams().get("token") ?? "";
  const trpc = useTRPC();
  const confirm = useMutation(trpc.account.confirmSignUp.mutationOptions());
  if (confirm.data) {
    return (
      <>
        <h1 className="mb-1 text-lg font-semibold text-gray-900">Your account is ready</h1>
        <p className="mb-6 text-sm text-gray-500">Sign in with the password you chose.</p>
        <SignInForm defaultEmail={confirm.data.email} lockEmail onSignedIn={() => window.location.assign(`/${confirm.data.orgSlug}`)} />
      </>
    );
  }
  return (
    <>
      <h1 className="mb-1 text-lg font-semibold text-gray-900">Finish creating your account</h1>
      <p className="mb-6 text-sm text-gray-500">This confirms that the e-mail address is yours.</p>
      <FormError message={fieldErrorsOf(confirm.error).token?.[0] ?? formErrorOf(confirm.error)} />
      <Button className="w-full" loading={confirm.isPending} disabled={!token} onClick={() => confirm.mutate({ token })}>
        Create my account
      </Button>
      <p className="mt-6 text-center text-sm text-gray-500">
        <Link href="/signup" className="font-medium text-blue-600 hover:text-blue-700">
          Sign up again
        </Link>{" "}
        ·{" "}
        <Link href="/signin" className="font-medium text-blue-600 hover:text-blue-700">
          Sign in
        </Link>
      </p>
    </>
  );
}

export default function ConfirmSignUpPage() {
  return (
    <Suspense>
      <ConfirmSignUp />
    </Suspense>
  );
}
