import { redirect } from "next/navigation";
import { Logo } from "@/components/layout/logo";
import { Onboarding } from "@/components/org/onboarding";
import { requireUser, serverCaller } from "./_lib/server";

/** Home: the user's first organisation, or a prompt to create one when they have none. */
export default async function Home() {
  const user = await requireUser();
  const orgs = await (await serverCaller(user)).org.list();
  const first = orgs[0];
  if (first) redirect(`/${first.slug}`);
  return (
    <main className="flex min-h-screen flex-col items-center justify-center px-4">
      <Logo className="mb-8 text-lg" />
      <div className="w-full max-w-md rounded-xl border border-gray-200 bg-white p-8 shadow-sm">
        <h1 className="mb-1 text-lg font-semibold">Create an organisation</h1>
        <p className="mb-6 text-sm text-gray-500">You are not a member of any organisation yet. Create one, or ask a teammate for an invitation link.</p>
        <Onboarding />
      </div>
    </main>
  );
}
