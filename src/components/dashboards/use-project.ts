"use client";

import { useSlugs } from "@/components/org/use-org";

/** `{ orgSlug, projectSlug }` of the current project page, as every project procedure takes it. */
export function useProjectInput() {
  const { orgSlug, projectSlug } = useSlugs();
  return { orgSlug, projectSlug: projectSlug ?? "" };
}

/** Builds a link inside the current project: `projectHref("errors")`. */
export function useProjectHref() {
  const { orgSlug, projectSlug } = useProjectInput();
  return (path = "", query?: Record<string, string | undefined | null>) => {
    const qs = new URLSearchParams(Object.entries(query ?? {}).filter((e): e is [string, string] => !!e[1])).toString();
    return `/${orgSlug}/${projectSlug}${path ? `/${path}` : ""}${qs ? `?${qs}` : ""}`;
  };
}
