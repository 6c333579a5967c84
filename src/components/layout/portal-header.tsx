"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { usePathname, useRouter } from "next/navigation";
import { useEffect, useRef, useState } from "react";
import { signOut } from "@/components/auth/sign-in";
import { CreateOrgDialog } from "@/components/org/create-org-dialog";
import { useOrg, useSlugs } from "@/components/org/use-org";
import { useTRPC } from "@/components/trpc/react";
import { Logo } from "./logo";

function OrgSwitcher() {
  const trpc = useTRPC();
  const router = useRouter();
  const { orgSlug } = useSlugs();
  const orgs = useQuery(trpc.org.list.queryOptions());
  const [creating, setCreating] = useState(false);
  return (
    <div className="flex items-center gap-2">
      <label htmlFor="org-switcher" className="sr-only">
        Switch organisation
      </label>
      <select
        id="org-switcher"
        value={orgSlug}
        onChange={(e) => router.push(`/${e.target.value}`)}
        className="max-w-[14rem] rounded-md border-0 bg-gray-50 py-1.5 pl-2.5 pr-8 text-sm font-medium text-gray-900 ring-1 ring-inset ring-gray-200 focus:ring-2 focus:ring-blue-600"
      >
        {(orgs.data ?? [{ slug: orgSlug, name: orgSlug }]).map((org) => (
          <option key={org.slug} value={org.slug}>
            {org.name}
          </option>
        ))}
      </select>
      <button
        type="button"
        onClick={() => setCreating(true)}
        className="rounded-md px-2 py-1.5 text-sm text-gray-500 hover:bg-gray-100 hover:text-gray-900 focus-visible:outline focus-visible:outline-2 focus-visible:outline-blue-600"
      >
        + New organisation
      </button>
      <CreateOrgDialog open={creating} onClose={() => setCreating(false)} />
    </div>
  );
}

export function UserMenu({ user }: { user: { name: string; email: string } }) {
  const [open, setOpen] = useState(false);
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!open) return;
    const close = (event: MouseEvent) => {
      if (!ref.current?.contains(event.target as Node)) setOpen(false);
    };
    document.addEventListener("mousedown", close);
    return () => document.removeEventListener("mousedown", close);
  }, [open]);
  const initials =
    user.name
      .split(/\s+/)
      .map((p) => p[0])
      .join("")
      .slice(0, 2)
      .toUpperCase() || "?";
  return (
    <div className="relative" ref={ref}>
      <button
        type="button"
        aria-haspopup="menu"
        aria-expanded={open}
        aria-label="User menu"
        onClick={() => setOpen((o) => !o)}
        className="flex h-8 w-8 items-center justify-center rounded-full bg-blue-100 text-xs font-semibold text-blue-700 hover:bg-blue-200 focus-visible:outline focus-visible:outline-2 focus-visible:outline-blue-600"
      >
        {initials}
      </button>
      {open && (
        <div
          role="menu"
          className="absolute right-0 z-20 mt-2 w-64 rounded-lg border border-gray-200 bg-white py-1 shadow-lg"
          onKeyDown={(e) => e.key === "Escape" && setOpen(false)}
        >
          <div className="border-b border-gray-100 px-4 py-3">
            <p className="truncate text-sm font-medium text-gray-900">{user.name}</p>
            <p className="truncate text-xs text-gray-500">{user.email}</p>
          </div>
          <Link
            href="/account"
            role="menuitem"
            className="block w-full px-4 py-2 text-left text-sm text-gray-700 hover:bg-gray-50 focus:bg-gray-50 focus:outline-none"
          >
            Your account
          </Link>
          <button
            type="button"
            role="menuitem"
            onClick={() => void signOut()}
            className="block w-full px-4 py-2 text-left text-sm text-gray-700 hover:bg-gray-50 focus:bg-gray-50 focus:outline-none"
          >
            Sign out
          </button>
        </div>
      )}
    </div>
  );
}

function NavLink({ href, children, exact = false }: { href: string; children: string; exact?: boolean }) {
  const pathname = usePathname();
  const active = exact ? pathname === href : pathname === href || pathname.startsWith(href + "/");
  return (
    <Link
      href={href}
      aria-current={active ? "page" : undefined}
      className={`border-b-2 px-1 pb-2.5 pt-1 text-sm font-medium ${active ? "border-blue-600 text-gray-900" : "border-transparent text-gray-500 hover:border-gray-300 hover:text-gray-800"}`}
    >
      {children}
    </Link>
  );
}

export function PortalHeader({ user }: { user: { name: string; email: string } }) {
  const org = useOrg();
  const base = `/${org.orgSlug}`;
  return (
    <header className="border-b border-gray-200 bg-white">
      <div className="mx-auto flex max-w-6xl items-center justify-between gap-4 px-6 pt-3">
        <div className="flex items-center gap-4">
          <Link href={base} aria-label="Sightline home">
            <Logo />
          </Link>
          <span className="text-gray-300" aria-hidden>
            /
          </span>
          <OrgSwitcher />
        </div>
        <UserMenu user={user} />
      </div>
      <nav aria-label="Organisation" className="mx-auto mt-2 flex max-w-6xl gap-6 px-6">
        <NavLink href={base} exact>
          Projects
        </NavLink>
        <NavLink href={`${base}/reports`}>Reports</NavLink>
        <NavLink href={`${base}/settings/members`}>Members</NavLink>
        {org.can("audit:read") && <NavLink href={`${base}/settings/audit`}>Audit log</NavLink>}
        {/* Only owners decide who sees LLM spend (dashboards.setSpendAccess). */}
        {org.can("spend:manage") && <NavLink href={`${base}/settings/spend`}>Spend access</NavLink>}
        {org.can("org:delete") && <NavLink href={`${base}/settings/organisation`}>Organisation</NavLink>}
      </nav>
    </header>
  );
}
