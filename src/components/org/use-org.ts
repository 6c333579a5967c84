"use client";

import { useQuery } from "@tanstack/react-query";
import { useParams } from "next/navigation";
import type { Action } from "@/server/auth/permissions";
import { useTRPC } from "@/components/trpc/react";

/** The org and project slugs of the current URL. */
export function useSlugs() {
  const params = useParams<{ org: string; project?: string }>();
  return { orgSlug: decodeURIComponent(params.org), projectSlug: params.project ? decodeURIComponent(params.project) : undefined };
}

/** The current organisation with the caller's role, and `can(action)` from the server's own permission list. */
export function useOrg() {
  const trpc = useTRPC();
  const { orgSlug } = useSlugs();
  const query = useQuery(trpc.org.get.queryOptions({ orgSlug }));
  const permissions = new Set<Action>(query.data?.permissions ?? []);
  return { ...query, orgSlug, can: (action: Action) => permissions.has(action) };
}
