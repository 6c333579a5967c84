"use client";

import { useMutation, useQuery } from "@tanstack/react-query";
import { useParams } from "next/navigation";
import { useState } from "react";
import { SignInForm } from "@/components/auth/sign-in-form";
import { SignUpForm } from "@/components/auth/sign-up-form";
import { useTRPC } from "@/components/trpc/react";
import { formErrorOf } from "@/components/trpc/errors";
import { Button } from "@/components/ui/button";
import { FormError } from "@/components/ui/field";
import { Loading, RoleBadge } from "@/components/ui/states";

const STATUS_TEXT: Record<string, string> = {
  expired: "This invitation has expired. Ask whoever invited you for a new link.",
  accepted: "This invitation has already been used.",
  revoked: "This invitation was revoked. Ask whoever invited you for a new link.",
};

export default function InvitePage() {
  const trpc = useTRPC();
  const token = decodeURIComponent(useParams<{ token: string }>().token);
  const preview = useQuery({ ...trpc.invitation.preview.queryOptions({ token }), retry: false });
  const me = useQuery({ ...trpc.account.me.queryOptions(), retry: false });
  const accept = useMutation(trpc.invitation.accept.mutationOptions());
  const [mode, setMode] = useState<"signup" | "signin">("signup");

  async function acceptAndGo() {
    const result = await accept.mutateAsync({ token }).catch(() => null);
    if (result) window.location.assign(`/${result.orgSlug}`);
  }

  if (preview.isPending || me.isPending) return <Loading label="Loading invitation…" />;
  if (preview.error) {
    return (
      <>
        <h1 className="mb-2 text-lg font-semibold text-gray-900">Invitation not found</h1>
        <p className="text-sm text-gray-500">{preview.error.message}</p>
      </>
    );
  }
  const inv = preview.data;
  const signedIn = me.data?.user;
  return (
    <>
      <h1 className="mb-1 text-lg font-semibold text-gray-900">Join {inv.orgName}</h1>
      <p className="mb-6 text-sm text-gray-500">
        {inv.invitedBy} invited <strong className="text-gray-700">{inv.email}</strong> to join as <RoleBadge role={inv.role} />
      </p>
      {inv.status !== "pending" ? (
        <FormError message={STATUS_TEXT[inv.status] ?? "This invitation can no longer be used."} />
      ) : signedIn ? (
        <div className="space-y-4">
          <FormError message={formErrorOf(accept.error)} />
          <p className="text-sm text-gray-600">
            Signed in as <strong>{signedIn.email}</strong>.
          </p>
          <Button className="w-full" onClick={acceptAndGo} loading={accept.isPending}>
            Accept invitation
          </Button>
        </div>
      ) : (
        <>
          {mode === "signup" ? (
            <SignUpForm defaultEmail={inv.email} lockEmail invitationToken={token} onSignedIn={acceptAndGo} />
          ) : (
            <SignInForm defaultEmail={inv.email} lockEmail onSignedIn={acceptAndGo} />
          )}
          <FormError message={formErrorOf(accept.error)} />
          <p className="mt-6 text-center text-sm text-gray-500">
            {mode === "signup" ? "Already have an account? " : "New to Sightline? "}
            <button type="button" className="font-medium text-blue-600 hover:text-blue-700" onClick={() => setMode(mode === "signup" ? "signin" : "signup")}>
              {mode === "signup" ? "Sign in" : "Create an account"}
            </button>
          </p>
        </>
      )}
    </>
  );
}
