"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useOrg } from "@/components/org/use-org";
import { useTRPC } from "@/components/trpc/react";
import { Button } from "@/components/ui/button";
import { useProjectInput } from "./use-project";
import type { ErrorStatus } from "@/server/vocabulary";

/** Resolve / ignore / reopen for one error group; hidden for roles without `errors:triage`. */
export function TriageButtons({ groupId, status, title, size = "md" }: { groupId: string; status: string; title: string; size?: "sm" | "md" }) {
  const trpc = useTRPC();
  const org = useOrg();
  const client = useQueryClient();
  const project = useProjectInput();
  const mutation = useMutation(
    trpc.dashboards.errors.setStatus.mutationOptions({
      onSuccess: () => client.invalidateQueries({ queryKey: trpc.dashboards.errors.pathKey() }),
    }),
  );
  if (!org.can("errors:triage")) return null;
  const set = (next: ErrorStatus) => mutation.mutate({ ...project, groupId, status: next });
  return (
    // The buttons sit inside a clickable row: this wrapper only keeps their clicks from opening it.
    // biome-ignore lint/a11y/noStaticElementInteractions: not an interaction of its own
    // biome-ignore lint/a11y/useKeyWithClickEvents: keyboard activation of the buttons does not bubble a click to the row
    <div className="flex items-center gap-2" onClick={(e) => e.stopPropagation()}>
      {status !== "resolved" && (
        <Button
          size={size}
          variant="secondary"
          loading={mutation.isPending && mutation.variables?.status === "resolved"}
          onClick={() => set("resolved")}
          aria-label={`Resolve ${title}`}
        >
          ✓ Resolve
        </Button>
      )}
      {status !== "ignored" && (
        <Button
          size={size}
          variant="ghost"
          loading={mutation.isPending && mutation.variables?.status === "ignored"}
          onClick={() => set("ignored")}
          aria-label={`Ignore ${title}`}
        >
          Ignore
        </Button>
      )}
      {status !== "unresolved" && (
        <Button
          size={size}
          variant="secondary"
          loading={mutation.isPending && mutation.variables?.status === "unresolved"}
          onClick={() => set("unresolved")}
          aria-label={`Reopen ${title}`}
        >
          Reopen
        </Button>
      )}
      {mutation.error && (
        <span role="alert" className="text-xs text-red-600">
          {mutation.error.message}
        </span>
      )}
    </div>
  );
}
