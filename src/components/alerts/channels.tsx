"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent, type ReactNode } from "react";
import type { inferRouterOutputs } from "@trpc/server";
import type { AppRouter } from "@/server/api/root";
import { Pill, TableSkeleton } from "@/components/dashboards/states";
import { useProjectInput } from "@/components/dashboards/use-project";
import { useOrg } from "@/components/org/use-org";
import { useTRPC } from "@/components/trpc/react";
import { Button } from "@/components/ui/button";
import { CopyField } from "@/components/ui/copy-button";
import { Dialog } from "@/components/ui/dialog";
import { FormError, SelectField, TextField } from "@/components/ui/field";
import { EmptyState, ErrorNotice, PageHeader, Panel } from "@/components/ui/states";
import { Table, Td, Th, Tr } from "@/components/ui/table";
import { Time } from "@/components/ui/time";
import { errorAt, pathErrorsOf } from "./field-errors";

type Kind = "email" | "slack" | "webhook";
const KIND_HINT: Record<Kind, string> = {
  email: "E-mail to chosen members of the organisation.",
  slack: "A Slack incoming-webhook URL (https://hooks.slack.com/services/…).",
  webhook: "POSTs JSON signed per Standard Webhooks (webhook-id, webhook-timestamp, webhook-signature) with a secret shown once.",
};

type Channel = inferRouterOutputs<AppRouter>["alerts"]["listChannels"][number];

/** Checkboxes for the organisation's members who receive a channel's e-mail. */
function RecipientPicker({ userIds, onChange, error }: { userIds: string[]; onChange: (ids: string[]) => void; error: string | undefined }) {
  const trpc = useTRPC();
  const scope = useProjectInput();
  const members = useQuery(trpc.member.list.queryOptions({ orgSlug: scope.orgSlug }));
  return (
    <div>
      <span id="recipients-label" className="block text-sm font-medium text-gray-700">
        Recipients
      </span>
      <div role="group" aria-labelledby="recipients-label" className="mt-2 max-h-48 space-y-1.5 overflow-y-auto">
        {(members.data ?? []).map((m) => (
          <label key={m.userId} className="flex items-center gap-2 text-sm text-gray-700">
            <input
              type="checkbox"
              className="h-4 w-4 rounded border-gray-300 text-blue-600"
              checked={userIds.includes(m.userId)}
              onChange={(e) => onChange(e.target.checked ? [...userIds, m.userId] : userIds.filter((id) => id !== m.userId))}
            />
            {m.name} <span className="text-gray-500">{m.email}</span>
          </label>
        ))}
      </div>
      {error && (
        <p role="alert" className="mt-1 text-xs text-red-600">
          {error}
        </p>
      )}
    </div>
  );
}

function CreateChannelDialog({ onClose }: { onClose: () => void }) {
  const trpc = useTRPC();
  const scope = useProjectInput();
  const queryClient = useQueryClient();
  const create = useMutation(trpc.alerts.createChannel.mutationOptions());
  const [name, setName] = useState("");
  const [kind, setKind] = useState<Kind>("email");
  const [url, setUrl] = useState("");
  const [userIds, setUserIds] = useState<string[]>([]);
  const [maxPerHour, setMaxPerHour] = useState("20");
  const [secret, setSecret] = useState<string | null>(null);
  const errors = pathErrorsOf(create.error);

  async function submit(event: FormEvent) {
    event.preventDefault();
    const config = kind === "email" ? { kind, userIds } : { kind, url: url.trim() };
    const created = await create.mutateAsync({ ...scope, name, config, maxPerHour: Number(maxPerHour) || 20 }).catch(() => null);
    if (!created) return;
    await queryClient.invalidateQueries({ queryKey: trpc.alerts.listChannels.queryKey(scope) });
    if ("secret" in created && created.secret) setSecret(created.secret);
    else onClose();
  }

  if (secret) {
    return (
      <Dialog open onClose={onClose} title="Copy the signing secret" footer={<Button onClick={onClose}>Done</Button>}>
        <div className="rounded-md border border-amber-200 bg-amber-50 px-3 py-2 text-amber-800">
          This is the only time the secret is shown. Your receiver verifies each request&apos;s <code>webhook-signature</code> with it.
        </div>
        <CopyField label="Webhook signing secret" value={secret} />
      </Dialog>
    );
  }

  return (
    <Dialog open onClose={onClose} title="Add notification channel">
      <form onSubmit={submit} className="space-y-4" noValidate>
        <FormError message={errors[""]} />
        <TextField
          label="Channel name"
          value={name}
          onChange={(e) => setName(e.target.value)}
          error={errorAt(errors, "name")}
          autoFocus
          placeholder="On-call e-mail"
        />
        <SelectField label="Type" value={kind} onChange={(e) => setKind(e.target.value as Kind)} hint={KIND_HINT[kind]}>
          <option value="email">E-mail</option>
          <option value="slack">Slack</option>
          <option value="webhook">Webhook</option>
        </SelectField>
        {kind === "email" ? (
          <RecipientPicker userIds={userIds} onChange={setUserIds} error={errorAt(errors, "config")} />
        ) : (
          <TextField
            label="URL"
            type="url"
            value={url}
            onChange={(e) => setUrl(e.target.value)}
            error={errorAt(errors, "config")}
            placeholder={kind === "slack" ? "https://hooks.slack.com/services/…" : "https://example.com/hooks/sightline"}
          />
        )}
        <TextField
          label="Max notifications per hour"
          type="number"
          min={1}
          max={1000}
          value={maxPerHour}
          onChange={(e) => setMaxPerHour(e.target.value)}
          error={errorAt(errors, "maxPerHour")}
          hint="Beyond this, notices are folded into one digest."
        />
        <div className="flex justify-end gap-2">
          <Button variant="secondary" onClick={onClose}>
            Cancel
          </Button>
          <Button type="submit" loading={create.isPending}>
            Add channel
          </Button>
        </div>
      </form>
    </Dialog>
  );
}

/**
 * Edits name, limit and destination; the type stays. Slack and webhook URLs are never sent back in
 * full, so the URL field starts empty and an empty field keeps the stored URL.
 */
function EditChannelDialog({ channel, onClose }: { channel: Channel; onClose: () => void }) {
  const trpc = useTRPC();
  const scope = useProjectInput();
  const queryClient = useQueryClient();
  const update = useMutation(trpc.alerts.updateChannel.mutationOptions());
  const [name, setName] = useState(channel.name);
  const [url, setUrl] = useState("");
  const [userIds, setUserIds] = useState<string[]>(channel.config.kind === "email" ? channel.config.userIds : []);
  const [maxPerHour, setMaxPerHour] = useState(String(channel.maxPerHour));
  const errors = pathErrorsOf(update.error);
  const kind = channel.config.kind;

  async function submit(event: FormEvent) {
    event.preventDefault();
    const config = kind === "email" ? { kind, userIds } : url.trim() ? { kind, url: url.trim() } : undefined;
    const saved = await update
      .mutateAsync({ ...scope, id: channel.id, name, maxPerHour: Number(maxPerHour) || channel.maxPerHour, ...(config ? { config } : {}) })
      .catch(() => null);
    if (!saved) return;
    await queryClient.invalidateQueries({ queryKey: trpc.alerts.listChannels.queryKey(scope) });
    onClose();
  }

  return (
    <Dialog open onClose={onClose} title={`Edit ${channel.name}`}>
      <form onSubmit={submit} className="space-y-4" noValidate>
        <FormError message={errors[""] ?? errors["config.kind"]} />
        <TextField label="Channel name" value={name} onChange={(e) => setName(e.target.value)} error={errorAt(errors, "name")} autoFocus />
        {channel.config.kind === "email" ? (
          <RecipientPicker userIds={userIds} onChange={setUserIds} error={errorAt(errors, "config")} />
        ) : (
          <TextField
            label="New URL"
            type="url"
            value={url}
            onChange={(e) => setUrl(e.target.value)}
            error={errorAt(errors, "config")}
            placeholder={kind === "slack" ? "https://hooks.slack.com/services/…" : "https://example.com/hooks/sightline"}
            hint={
              <>
                Now {channel.config.url}. Leave empty to keep it.{kind === "webhook" && " The signing secret stays the same and is not shown again."}
              </>
            }
          />
        )}
        <TextField
          label="Max notifications per hour"
          type="number"
          min={1}
          max={1000}
          value={maxPerHour}
          onChange={(e) => setMaxPerHour(e.target.value)}
          error={errorAt(errors, "maxPerHour")}
          hint="Beyond this, notices are folded into one digest."
        />
        <div className="flex justify-end gap-2">
          <Button variant="secondary" onClick={onClose}>
            Cancel
          </Button>
          <Button type="submit" loading={update.isPending}>
            Save changes
          </Button>
        </div>
      </form>
    </Dialog>
  );
}

function TestResult({ test }: { test: ReturnType<typeof useTestChannel> }) {
  return (
    <p aria-live="polite" className="mt-1 max-w-sm whitespace-normal text-xs font-normal">
      {test.data?.delivered && <span className="text-emerald-700">Test notification delivered.</span>}
      {test.data && !test.data.delivered && (
        <span className="text-red-600">
          {test.data.outcome === "refused" ? "Test refused" : "Test failed"}: {test.data.error}
        </span>
      )}
      {test.error && <span className="text-red-600">Test failed: {test.error.message}</span>}
    </p>
  );
}

function useTestChannel() {
  const trpc = useTRPC();
  return useMutation(trpc.alerts.testChannel.mutationOptions());
}

/** A table row with its own "send test" outcome. */
function ChannelRow({ id, children }: { id: string; children: (test: ReturnType<typeof useTestChannel>) => ReactNode }) {
  const test = useTestChannel();
  return <Tr data-channel={id}>{children(test)}</Tr>;
}

/** Where notifications go: e-mail, Slack and signed webhooks, each with a test button. */
export function ChannelsPage() {
  const trpc = useTRPC();
  const scope = useProjectInput();
  const org = useOrg();
  const canWrite = org.can("alerts:write");
  const queryClient = useQueryClient();
  const channels = useQuery(trpc.alerts.listChannels.queryOptions(scope));
  const members = useQuery(trpc.member.list.queryOptions({ orgSlug: scope.orgSlug }));
  const remove = useMutation(trpc.alerts.deleteChannel.mutationOptions());
  const [creating, setCreating] = useState(false);
  const [editing, setEditing] = useState<Channel | null>(null);
  const memberName = new Map((members.data ?? []).map((m) => [m.userId, m.email]));

  return (
    <>
      <PageHeader
        title="Notification channels"
        description="Webhook and Slack URLs are checked when saved: loopback, link-local and private addresses are refused."
        actions={canWrite ? <Button onClick={() => setCreating(true)}>Add channel</Button> : null}
      />
      <Panel>
        <ErrorNotice error={channels.error ?? remove.error} />
        {channels.isPending ? (
          <TableSkeleton rows={3} />
        ) : channels.data?.length ? (
          <Table label="Channels">
            <thead>
              <tr>
                <Th>Name</Th>
                <Th>Type</Th>
                <Th>Destination</Th>
                <Th>Limit</Th>
                <Th>Created</Th>
                <Th className="text-right">
                  <span className="sr-only">Actions</span>
                </Th>
              </tr>
            </thead>
            <tbody>
              {channels.data.map((c) => (
                <ChannelRow key={c.id} id={c.id}>
                  {(test) => (
                    <>
                      <Td className="font-medium text-gray-900">
                        {c.name}
                        {c.disabledAt && (
                          <span className="ml-2">
                            <Pill tone="red">disabled: {c.disabledReason ?? "failing"}</Pill>
                          </span>
                        )}
                        <TestResult test={test} />
                      </Td>
                      <Td>
                        <Pill tone={c.kind === "email" ? "blue" : c.kind === "slack" ? "purple" : "gray"}>{c.kind}</Pill>
                      </Td>
                      <Td className="max-w-xs whitespace-normal text-xs">
                        {c.config.kind === "email" ? (
                          c.config.userIds.map((id) => memberName.get(id) ?? "former member").join(", ")
                        ) : (
                          <code className="font-mono">{c.config.url}</code>
                        )}
                      </Td>
                      <Td className="text-xs">{c.maxPerHour}/h</Td>
                      <Td className="text-xs">
                        <Time value={c.createdAt} />
                      </Td>
                      <Td className="text-right">
                        {canWrite && (
                          <div className="flex items-center justify-end gap-1">
                            <Button
                              size="sm"
                              variant="secondary"
                              loading={test.isPending}
                              aria-label={`Send test notification to ${c.name}`}
                              onClick={() => test.mutate({ ...scope, id: c.id })}
                            >
                              Send test
                            </Button>
                            <Button size="sm" variant="secondary" aria-label={`Edit ${c.name}`} data-edit-channel={c.id} onClick={() => setEditing(c)}>
                              Edit
                            </Button>
                            <Button
                              size="sm"
                              variant="ghost"
                              className="text-red-600"
                              aria-label={`Delete ${c.name}`}
                              loading={remove.isPending && remove.variables?.id === c.id}
                              onClick={() =>
                                remove.mutate(
                                  { ...scope, id: c.id },
                                  { onSuccess: () => queryClient.invalidateQueries({ queryKey: trpc.alerts.listChannels.queryKey(scope) }) },
                                )
                              }
                            >
                              Delete
                            </Button>
                          </div>
                        )}
                      </Td>
                    </>
                  )}
                </ChannelRow>
              ))}
            </tbody>
          </Table>
        ) : (
          <EmptyState title="No channels yet" action={canWrite ? <Button onClick={() => setCreating(true)}>Add channel</Button> : null}>
            Rules without channels still record incidents; add an e-mail, Slack or webhook channel to be told.
          </EmptyState>
        )}
      </Panel>
      {creating && <CreateChannelDialog onClose={() => setCreating(false)} />}
      {editing && (
        <EditChannelDialog
          channel={editing}
          onClose={() => {
            const id = editing.id;
            setEditing(null);
            // The dialog unmounts rather than closes, so focus is handed back to the row's Edit button by hand.
            requestAnimationFrame(() => document.querySelector<HTMLButtonElement>(`[data-edit-channel="${id}"]`)?.focus());
          }}
        />
      )}
    </>
  );
}
