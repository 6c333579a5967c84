"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useRef, type KeyboardEvent, type ReactNode } from "react";
import type { inferRouterOutputs } from "@trpc/server";
import { useOrg } from "@/components/org/use-org";
import { useTRPC } from "@/components/trpc/react";
import { ErrorNotice, Panel } from "@/components/ui/states";
import { Time } from "@/components/ui/time";
import type { AppRouter } from "@/server/api/root";
import { fmtCount, fmtMs, fmtPct, fmtTokens, fmtUsd } from "./format";
import { KpiCard } from "./kpi-card";
import { Pill, Skeleton } from "./states";
import { DashboardToolbar } from "./toolbar";
import { useTimeRange, useUrlParams } from "./use-dashboard-url";

type PresetData = inferRouterOutputs<AppRouter>["home"]["preset"];
type Rows<V extends PresetData["view"]> = Extract<PresetData, { view: V }>["projects"];

const PRESETS = {
  engineering: { label: "Engineering", text: "What is failing and what is slow, per project." },
  operations: { label: "Operations", text: "Is it up, and how busy is it, per project." },
  management: { label: "Management", text: "Usage, LLM spend and where it is heading, per project." },
} as const;
type Preset = keyof typeof PRESETS;
const KEYS = Object.keys(PRESETS) as Preset[];

/**
 * The default view by role: viewers (often stakeholders looking in) open on Operations, everyone
 * else on Engineering. The choice is kept in the URL (`view=`), so a shared link opens the same view.
 */
const defaultPreset = (role: string | undefined): Preset => (role === "viewer" ? "operations" : "engineering");

function PresetTabs({ view, onSelect }: { view: Preset; onSelect: (k: Preset) => void }) {
  const refs = useRef<Partial<Record<Preset, HTMLButtonElement | null>>>({});
  const onKeyDown = (e: KeyboardEvent) => {
    const i = KEYS.indexOf(view);
    const next = { ArrowRight: KEYS[(i + 1) % KEYS.length], ArrowLeft: KEYS[(i + KEYS.length - 1) % KEYS.length], Home: KEYS[0], End: KEYS[KEYS.length - 1] }[
      e.key
    ];
    if (!next) return;
    e.preventDefault();
    onSelect(next);
    refs.current[next]?.focus();
  };
  return (
    <nav aria-label="Views">
      <div role="tablist" aria-label="Views" className="flex gap-1 rounded-lg bg-gray-100 p-1" onKeyDown={onKeyDown}>
        {KEYS.map((k) => (
          <button
            key={k}
            ref={(el) => {
              refs.current[k] = el;
            }}
            type="button"
            role="tab"
            id={`preset-tab-${k}`}
            aria-controls="preset-panel"
            aria-selected={k === view}
            tabIndex={k === view ? 0 : -1}
            onClick={() => onSelect(k)}
            className={`rounded-md px-3 py-1 text-sm font-medium focus-visible:outline focus-visible:outline-2 focus-visible:outline-blue-600 ${k === view ? "bg-white text-gray-900 shadow-sm" : "text-gray-500 hover:text-gray-800"}`}
          >
            {PRESETS[k].label}
          </button>
        ))}
      </div>
    </nav>
  );
}

/** Engineering / Operations / Management views on the organisation home: each project's figures for that audience. */
export function OrgPresets({ projects }: { projects: Array<{ slug: string; name: string }> }) {
  const trpc = useTRPC();
  const org = useOrg();
  const range = useTimeRange();
  const { get, set } = useUrlParams();
  const view: Preset = KEYS.find((k) => k === get("view")) ?? defaultPreset(org.data?.role);
  const q = useQuery({
    ...trpc.home.preset.queryOptions({ orgSlug: org.orgSlug, view, from: range.from, to: range.to, timeZone: range.timeZone }),
    enabled: projects.length > 0 && !!org.data,
    placeholderData: (previous) => (previous?.view === view ? previous : undefined),
    refetchInterval: range.refetchInterval,
  });
  if (!projects.length) return null;
  const preset = PRESETS[view];
  const d = q.data?.view === view ? q.data : undefined;
  return (
    <Panel title={`${preset.label} view`} description={preset.text} actions={<PresetTabs view={view} onSelect={(k) => set({ view: k })} />}>
      <DashboardToolbar />
      <ErrorNotice error={q.error} />
      <div role="tabpanel" id="preset-panel" aria-labelledby={`preset-tab-${view}`} aria-busy={!d}>
        {!d ? (
          <div className="space-y-6" data-testid="preset-loading">
            {projects.map((p) => (
              <Skeleton key={p.slug} className="h-40" />
            ))}
          </div>
        ) : (
          <ul className="space-y-6" data-testid="preset-projects">
            {d.view === "engineering" && <Engineering rows={d.projects} />}
            {d.view === "operations" && <Operations rows={d.projects} />}
            {d.view === "management" && <Management rows={d.projects} />}
          </ul>
        )}
      </div>
    </Panel>
  );
}

function ProjectBlock({ name, links, children }: { name: string; links: ReactNode; children: ReactNode }) {
  return (
    <li className="rounded-lg border border-gray-100 bg-gray-50/40 p-4" data-testid="preset-project" aria-label={name}>
      <div className="mb-3 flex flex-wrap items-center justify-between gap-3">
        <h3 className="font-medium text-gray-900">{name}</h3>
        <span className="flex flex-wrap gap-2">{links}</span>
      </div>
      {children}
    </li>
  );
}

function ProjectLinks({ slug, links }: { slug: string; links: Array<[string, string]> }) {
  const org = useOrg();
  return (
    <>
      {links.map(([path, label]) => (
        <Link
          key={label}
          href={`/${org.orgSlug}/${slug}${path ? `/${path}` : ""}`.replace("/?", "?")}
          className="rounded-md px-2.5 py-1 text-sm font-medium text-blue-700 ring-1 ring-inset ring-blue-200 hover:bg-blue-50"
        >
          {label}
        </Link>
      ))}
    </>
  );
}

const grid = "grid gap-4 sm:grid-cols-2 lg:grid-cols-4";

type Group = Rows<"engineering">[number]["newGroups"][number];

function GroupList({ title, groups, slug, empty, testId }: { title: string; groups: Group[]; slug: string; empty: string; testId: string }) {
  const org = useOrg();
  return (
    <section className="rounded-lg border border-gray-200 bg-white p-4 shadow-sm" aria-label={title} data-testid={testId}>
      <h4 className="text-xs font-medium uppercase tracking-wide text-gray-500">{title}</h4>
      {groups.length === 0 ? (
        <p className="mt-2 text-sm text-gray-500">{empty}</p>
      ) : (
        <ul className="mt-2 space-y-1.5">
          {groups.map((g) => (
            <li key={g.id} className="flex items-baseline justify-between gap-2 text-sm">
              <Link
                href={`/${org.orgSlug}/${slug}/errors/${g.id}`}
                className="truncate font-medium text-blue-700 hover:underline"
                title={g.culprit ?? undefined}
              >
                {g.title}
              </Link>
              <span className="shrink-0 tabular-nums text-gray-500">{fmtCount(g.count)}</span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function Engineering({ rows }: { rows: Rows<"engineering"> }) {
  return rows.map((r) => (
    <ProjectBlock
      key={r.project.slug}
      name={r.project.name}
      links={
        <ProjectLinks
          slug={r.project.slug}
          links={[
            ["errors", "Errors"],
            ["performance", "Performance"],
            ["traces", "Traces"],
            ["logs", "Logs"],
          ]}
        />
      }
    >
      <div className={grid}>
        <KpiCard
          testId="home-p95"
          title="Latency p95"
          value={fmtMs(r.latencyP95.value)}
          change={r.latencyP95.change}
          sparkline={r.latencyP95.sparkline}
          goodWhen="down"
          color="amber"
        />
        <KpiCard
          testId="home-error-rate"
          title="Error rate"
          value={fmtPct(r.errorRate.value)}
          change={r.errorRate.change}
          sparkline={r.errorRate.sparkline}
          goodWhen="down"
          color="red"
        />
        <KpiCard
          testId="home-open-groups"
          title="Open error groups"
          value={fmtCount(r.openErrorGroups.value)}
          change={r.openErrorGroups.change}
          sparkline={r.openErrorGroups.sparkline}
          goodWhen="down"
          color="rose"
        />
        <div className="space-y-4">
          <GroupList testId="home-regressed" title="Regressed" groups={r.regressedGroups} slug={r.project.slug} empty="No regressions in this range." />
          <GroupList testId="home-new-groups" title="New in this range" groups={r.newGroups} slug={r.project.slug} empty="No new error groups." />
        </div>
      </div>
    </ProjectBlock>
  ));
}

const BY_TYPE: Array<[keyof Rows<"operations">[number]["ingest"]["byType"], string]> = [
  ["requests", "requests"],
  ["logs", "logs"],
  ["spans", "spans"],
  ["llmCalls", "LLM calls"],
  ["errors", "errors"],
  ["productEvents", "product events"],
  ["metrics", "metric points"],
];

function Operations({ rows }: { rows: Rows<"operations"> }) {
  const org = useOrg();
  return rows.map((r) => {
    const breakdown = BY_TYPE.filter(([k]) => r.ingest.byType[k] > 0)
      .map(([k, label]) => `${fmtCount(r.ingest.byType[k])} ${label}`)
      .join(" · ");
    return (
      <ProjectBlock
        key={r.project.slug}
        name={r.project.name}
        links={
          <ProjectLinks
            slug={r.project.slug}
            links={[
              ["", "Overview"],
              ["performance", "Throughput and latency"],
              ["logs?live=on", "Live logs"],
              ["alerts/incidents", "Incidents"],
            ]}
          />
        }
      >
        <div className={grid}>
          <KpiCard testId="home-requests" title="Requests" value={fmtCount(r.requests.value)} change={r.requests.change} sparkline={r.requests.sparkline} />
          <KpiCard
            testId="home-error-rate"
            title="Error rate"
            value={fmtPct(r.errorRate.value)}
            change={r.errorRate.change}
            sparkline={r.errorRate.sparkline}
            goodWhen="down"
            color="red"
          />
          <section className="rounded-lg border border-gray-200 bg-white p-4 shadow-sm" aria-label="Firing incidents" data-testid="home-incidents">
            <h4 className="text-xs font-medium uppercase tracking-wide text-gray-500">Firing incidents</h4>
            <p
              className={`mt-2 text-2xl font-semibold tabular-nums ${r.incidents.firing ? "text-red-700" : "text-gray-900"}`}
              data-testid="home-incidents-value"
            >
              {r.incidents.firing}
              {r.incidents.more ? "+" : ""}
            </p>
            {r.incidents.top.length === 0 ? (
              <p className="mt-1 text-sm text-gray-500">All clear.</p>
            ) : (
              <ul className="mt-2 space-y-1 text-sm">
                {r.incidents.top.map((i) => (
                  <li key={i.id} className="flex items-center gap-2">
                    <Pill tone={i.severity === "critical" ? "red" : i.severity === "warning" ? "amber" : "blue"}>{i.severity}</Pill>
                    <Link className="truncate text-blue-700 hover:underline" href={`/${org.orgSlug}/${r.project.slug}/alerts/incidents/${i.id}`}>
                      {i.title}
                    </Link>
                    <span className="ml-auto shrink-0 text-xs text-gray-400">
                      <Time value={i.startedAt} relative />
                    </span>
                  </li>
                ))}
              </ul>
            )}
          </section>
          <div>
            <KpiCard
              testId="home-ingest"
              title="Events ingested"
              value={fmtCount(r.ingest.value)}
              change={r.ingest.change}
              sparkline={r.ingest.sparkline}
              color="cyan"
            />
            <p className="mt-1.5 text-xs text-gray-500" data-testid="home-ingest-types">
              {breakdown || "Nothing received in this range."}
            </p>
          </div>
        </div>
      </ProjectBlock>
    );
  });
}

function Management({ rows }: { rows: Rows<"management"> }) {
  const org = useOrg();
  return rows.map((r) => {
    const spend = "spend" in r ? r.spend : null;
    return (
      <ProjectBlock
        key={r.project.slug}
        name={r.project.name}
        links={
          <>
            <ProjectLinks
              slug={r.project.slug}
              links={[
                ["llm", spend ? "LLM spend and projection" : "LLM usage"],
                ["users", "Active users"],
                ["", "Overview"],
              ]}
            />
            {spend && org.can("spend:manage") && (
              <Link
                href={`/${org.orgSlug}/settings/spend`}
                className="rounded-md px-2.5 py-1 text-sm text-gray-600 ring-1 ring-inset ring-gray-200 hover:bg-gray-50"
              >
                Who sees spend
              </Link>
            )}
          </>
        }
      >
        <div className={grid}>
          <KpiCard
            testId="home-users"
            title="Active users"
            value={fmtCount(r.activeUsers.value)}
            change={r.activeUsers.change}
            sparkline={r.activeUsers.sparkline}
            color="violet"
          />
          <KpiCard
            testId="home-llm-calls"
            title="LLM calls"
            value={fmtCount(r.llmCalls.value)}
            sparkline={r.llmCalls.sparkline}
            color="indigo"
            hint={`${fmtTokens(r.tokens.input)} input (${fmtTokens(r.tokens.cachedInput)} cached) · ${fmtTokens(r.tokens.output)} output (${fmtTokens(r.tokens.reasoning)} reasoning) tokens`}
          />
          {spend && (
            <>
              <KpiCard
                testId="home-spend-today"
                title="LLM spend today"
                value={fmtUsd(spend.todayUsd)}
                change={spend.todayChange}
                sparkline={spend.sparkline}
                goodWhen="neutral"
                color="emerald"
                hint="Against yesterday up to the same time"
              />
              <section className="rounded-lg border border-gray-200 bg-white p-4 shadow-sm" aria-label="LLM spend this month" data-testid="home-spend-month">
                <h4 className="text-xs font-medium uppercase tracking-wide text-gray-500">Month to date → projected</h4>
                <p className="mt-2 text-2xl font-semibold tabular-nums text-gray-900">
                  <span data-testid="home-spend-mtd-value">{fmtUsd(spend.monthToDateUsd)}</span>
                  <span className="px-1.5 text-base font-normal text-gray-400">→</span>
                  <span data-testid="home-spend-projected-value">{fmtUsd(spend.projectedMonthEndUsd)}</span>
                </p>
                <p className="mt-1 text-xs text-gray-500">Projected month end: {spend.projectionMethod}.</p>
              </section>
            </>
          )}
        </div>
      </ProjectBlock>
    );
  });
}
