"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useOrg } from "@/components/org/use-org";
import { fieldErrorsOf, formErrorOf } from "@/components/trpc/errors";
import { useTRPC } from "@/components/trpc/react";
import { Button } from "@/components/ui/button";
import { ErrorNotice, Loading, PageHeader, Panel } from "@/components/ui/states";
import { Time } from "@/components/ui/time";
import { fmtCount } from "@/components/dashboards/format";
import { useProjectInput } from "@/components/dashboards/use-project";
import { EndUserData } from "./end-user-data";

const UNITS = ["B", "kB", "MB", "GB", "TB"];
function fmtBytes(n: number): string {
  let v = n;
  let u = 0;
  while (v >= 1000 && u < UNITS.length - 1) {
    v /= 1000;
    u += 1;
  }
  return `${u ? v.toFixed(1) : v} ${UNITS[u]}`;
}

type Kind = "logs" | "requests" | "error_events" | "llm_calls" | "spans" | "metrics" | "product_events" | "rollups";

function PolicyEditor({ kind, label, days, overridden }: { kind: Kind; label: string; days: number; overridden: boolean }) {
  const trpc = useTRPC();
  const client = useQueryClient();
  const project = useProjectInput();
  const [value, setValue] = useState(String(days));
  const save = useMutation(
    trpc.lifecycle.setPolicy.mutationOptions({
      onSuccess: (r) => {
        setValue(String(r.days));
        void client.invalidateQueries({ queryKey: trpc.lifecycle.overview.queryKey(project) });
      },
    }),
  );
  const error = fieldErrorsOf(save.error).days?.[0] ?? formErrorOf(save.error);
  return (
    <form
      className="flex items-center gap-2"
      onSubmit={(e) => {
        e.preventDefault();
        save.mutate({ ...project, kind, days: Number(value) });
      }}
    >
      <input
        aria-label={`${label} retention (days)`}
        type="number"
        value={value}
        onChange={(e) => setValue(e.target.value)}
        className="w-20 rounded-md px-2 py-1 text-sm ring-1 ring-inset ring-gray-300"
      />
      <Button type="submit" size="sm" loading={save.isPending && save.variables?.days !== null} aria-label={`Save ${label} retention`}>
        Save
      </Button>
      {overridden && (
        <Button size="sm" variant="ghost" aria-label={`Reset ${label} retention`} onClick={() => save.mutate({ ...project, kind, days: null })}>
          Reset
        </Button>
      )}
      {error && (
        <span role="alert" className="text-xs text-red-600">
          {error}
        </span>
      )}
    </form>
  );
}

function Archives() {
  const trpc = useTRPC();
  const project = useProjectInput();
  const archives = useQuery(trpc.lifecycle.archives.queryOptions(project));
  const href = (file: string) => `/api/archives/${project.orgSlug}/${project.projectSlug}?file=${encodeURIComponent(file)}`;
  return (
    <Panel
      title="Archives"
      description="Rows the retention job archived before deleting them: gzip NDJSON, one row per line, with a manifest (row count, first and last time, sha256)"
    >
      <ErrorNotice error={archives.error} />
      {archives.isPending ? (
        <Loading />
      ) : archives.data?.length ? (
        <table aria-label="Archives" className="min-w-full text-sm">
          <thead>
            <tr className="text-left text-xs uppercase tracking-wide text-gray-500">
              <th className="py-2">Day (UTC)</th>
              <th>Kind</th>
              <th>Part</th>
              <th>Rows</th>
              <th>Size</th>
              <th>sha256</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {archives.data.map((a) => (
              <tr key={a.file} className="border-t border-gray-100">
                <td className="py-2 pr-3">{a.day}</td>
                <td className="pr-3">{a.kind}</td>
                <td className="pr-3">{a.part}</td>
                <td className="pr-3">{fmtCount(a.rowCount)}</td>
                <td className="pr-3">{fmtBytes(a.bytes)}</td>
                <td className="pr-3 font-mono text-xs" title={a.sha256}>
                  {a.sha256.slice(0, 12)}…
                </td>
                <td className="space-x-3 text-right">
                  <a className="text-blue-700 hover:underline" href={href(a.file)} download aria-label={`Download ${a.kind} ${a.day} part ${a.part}`}>
                    Download
                  </a>
                  <a className="text-gray-500 hover:underline" href={href(a.file.replace(/\.ndjson\.gz$/, ".manifest.json"))} download>
                    Manifest
                  </a>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <p className="text-sm text-gray-500">No archives yet: the retention job writes them when it deletes expired rows.</p>
      )}
    </Panel>
  );
}

export function DataSettings() {
  const trpc = useTRPC();
  const org = useOrg();
  const project = useProjectInput();
  const overview = useQuery(trpc.lifecycle.overview.queryOptions(project));
  const canEdit = org.can("settings:update");
  const data = overview.data;
  return (
    <>
      <PageHeader title="Data" description="How long each kind of data is kept, what the next retention run removes, and the archives it wrote." />
      <div className="space-y-6">
        <Panel
          title="Retention"
          description={
            data ? (
              <>
                Next run <Time value={data.nextRunAt} /> —{" "}
                {data.archiveBeforeDelete ? "rows are archived, verified, then deleted" : "rows are deleted without an archive"}. The audit log is kept at least{" "}
                {data.auditDays} days and never deleted by retention.
              </>
            ) : undefined
          }
        >
          <ErrorNotice error={overview.error} />
          {overview.isPending ? (
            <Loading />
          ) : (
            data && (
              <table aria-label="Data by kind" className="min-w-full text-sm">
                <thead>
                  <tr className="text-left text-xs uppercase tracking-wide text-gray-500">
                    <th className="py-2">Kind</th>
                    <th>Rows</th>
                    <th>Oldest</th>
                    <th>Size</th>
                    <th>Kept (days)</th>
                    <th>Next run removes</th>
                  </tr>
                </thead>
                <tbody>
                  {data.kinds.map((k) => (
                    <tr key={k.kind} className="border-t border-gray-100" data-testid={`data-kind-${k.kind}`}>
                      <td className="py-2 pr-3">{k.label}</td>
                      <td className="pr-3" data-testid="rows">
                        {fmtCount(k.rows)}
                      </td>
                      <td className="pr-3">
                        <Time value={k.oldest} relative />
                      </td>
                      <td className="pr-3">{fmtBytes(k.bytes)}</td>
                      <td className="pr-3" data-testid="policy">
                        {canEdit ? (
                          <PolicyEditor key={`${k.kind}-${k.days}`} kind={k.kind as Kind} label={k.label} days={k.days} overridden={k.source === "override"} />
                        ) : (
                          k.days
                        )}
                        <span className="ml-1 text-xs text-gray-500">{k.source === "override" ? `(default ${k.defaultDays})` : "(default)"}</span>
                      </td>
                      <td className="pr-3" data-testid="estimate">
                        {fmtCount(k.expiringRows)} rows · {fmtBytes(k.expiringBytes)}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )
          )}
          {!canEdit && <p className="mt-4 text-xs text-gray-500">Only owners and admins can change retention or download archives.</p>}
        </Panel>
        {canEdit && <Archives />}
        {canEdit && <EndUserData />}
      </div>
    </>
  );
}
