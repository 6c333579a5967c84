import type { ReactNode } from "react";
import { Logo } from "@/components/layout/logo";

export default function AuthLayout({ children }: { children: ReactNode }) {
  return (
    <main className="flex min-h-screen flex-col items-center justify-center bg-gradient-to-b from-gray-50 to-gray-100 px-4 py-12">
      <Logo className="mb-8 text-lg" />
      <div className="w-full max-w-sm rounded-xl border border-gray-200 bg-white p-8 shadow-sm">{children}</div>
      <p className="mt-6 text-xs text-gray-400">Logs, errors, traces and LLM spend in one place.</p>
    </main>
  );
}
