import Link from "next/link";
import { requireUser } from "@/app/_lib/server";
import { AccountActivity } from "@/components/account/account-activity";
import { Logo } from "@/components/layout/logo";
import { UserMenu } from "@/components/layout/portal-header";

/** The signed-in person's own account: who they are and where their account was used from. */
export default async function AccountPage() {
  const user = await requireUser("/account");
  return (
    <div className="min-h-screen">
      <header className="border-b border-gray-200 bg-white">
        <div className="mx-auto flex max-w-6xl items-center justify-between gap-4 px-6 py-3">
          <Link href="/" aria-label="Sightline home">
            <Logo />
          </Link>
          <UserMenu user={user} />
        </div>
      </header>
      <main className="mx-auto max-w-6xl px-6 py-8">
        <AccountActivity user={user} />
      </main>
    </div>
  );
}
