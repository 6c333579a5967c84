"use client";

import Link from "next/link";
import { useSearchParams } from "next/navigation";
import { Suspense } from "react";
import { SignInForm } from "@/components/auth/sign-in-form";
import { safeCallbackUrl } from "@/components/auth/sign-in";

function SignIn() {
  const params = useSearchParams();
  const callbackUrl = safeCallbackUrl(params.get("callbackUrl"));
  return (
    <>
      <h1 className="mb-1 text-lg font-semibold text-gray-900">Sign in</h1>
      <p className="mb-6 text-sm text-gray-500">Welcome back. Enter your e-mail and password.</p>
      <SignInForm onSignedIn={() => window.location.assign(callbackUrl)} />
      <p className="mt-6 text-center text-sm text-gray-500">
        No account yet?{" "}
        <Link
          href={`/signup${callbackUrl !== "/" ? `?callbackUrl=${encodeURIComponent(callbackUrl)}` : ""}`}
          className="font-medium text-blue-600 hover:text-blue-700"
        >
          Create one
        </Link>
      </p>
    </>
  );
}

export default function SignInPage() {
  return (
    <Suspense>
      <SignIn />
    </Suspense>
  );
}
