"use client";

import Link from "next/link";
import { useSearchParams } from "next/navigation";
import { Suspense } from "react";
import { SignUpForm } from "@/components/auth/sign-up-form";
import { safeCallbackUrl } from "@/components/auth/sign-in";

function SignUp() {
  const callbackUrl = safeCallbackUrl(useSearchParams().get("callbackUrl"));
  return (
    <>
      <h1 className="mb-1 text-lg font-semibold text-gray-900">Create your account</h1>
      <p className="mb-6 text-sm text-gray-500">You get a personal organisation to start sending data right away.</p>
      <SignUpForm onSignedIn={() => window.location.assign(callbackUrl)} />
      <p className="mt-6 text-center text-sm text-gray-500">
        Already have an account?{" "}
        <Link href="/signin" className="font-medium text-blue-600 hover:text-blue-700">
          Sign in
        </Link>
      </p>
    </>
  );
}

export default function SignUpPage() {
  return (
    <Suspense>
      <SignUp />
    </Suspense>
  );
}
