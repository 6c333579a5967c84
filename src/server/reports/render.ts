/**
 * The weekly report as e-mail: HTML with simple inline-styled bars (no images, renders in every
 * client) and a plain-text part. `includeSpend: false` leaves LLM spend out for recipients whose
 * role may not see spend.
 */
import { SPEND_HIDDEN } from "../alerts/spend";
import type { ReportContent, ReportIncident } from "./content";

type Section = ReportContent["projects"][number];

/**
 * The incident title a reader may see: without spend:read, a spend incident's amount-free title.
 * Reports stored before that title was kept lack the field: their titles may hold amounts, so only
 * the rule's name (evaluate.ts writes `<name> — <label>`) is shown.
 */
export function incidentTitle(i: Omit<ReportIncident, "titleWithoutSpend"> & { titleWithoutSpend?: string | null }, includeSpend: boolean): string {
  if (includeSpend) return i.title;
  if (i.titleWithoutSpend === undefined) return `${i.title.split(" — ")[0]} — (${SPEND_HIDDEN})`;
  return i.titleWithoutSpend ?? i.title;
}

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);
const int = (n: number) => Math.round(n).toLocaleString("en-US");
const pct = (n: number | null) => (n === null ? "–" : `${(n * 100).toFixed(2)}%`);
const ms = (n: number | null) => (n === null ? "–" : `${Math.round(n)} ms`);
const usd = (n: number | null) => (n === null ? "–" : `$${n.toFixed(2)}`);
const delta = (c: number | null) => (c === null ? "" : ` (${c >= 0 ? "+" : ""}${(c * 100).toFixed(1)}% vs previous week)`);
const day = (d: Date | string) => new Date(d).toISOString().slice(0, 10);

function bar(value: number, max: number, color = "#4f46e5") {
  const width = max > 0 ? Math.max(1, Math.round((value / max) * 100)) : 0;
  return `<div style="background:#eef2ff;width:200px;height:8px;border-radius:4px"><div style="background:${color};width:${width}%;height:8px;border-radius:4px"></div></div>`;
}

function htmlSection(p: Section, includeSpend: boolean) {
  const row = (label: string, value: string) => `<tr><td style="padding:2px 12px 2px 0;color:#555">${esc(label)}</td><td>${esc(value)}</td></tr>`;
  const groups = (title: string, list: Section["newGroups"]) =>
    list.length
      ? `<h4>${esc(title)}</h4><table>${list.map((g) => `<tr><td>${esc(g.title)}</td><td style="padding-left:8px">${int(g.count)}</td><td style="padding-left:8px">${bar(g.count, list[0]!.count, "#dc2626")}</td></tr>`).join("")}</table>`
      : "";
  const maxP95 = Math.max(0, ...p.slowestEndpoints.map((e) => e.p95 ?? 0));
  const endpoints = p.slowestEndpoints.length
    ? `<h4>Slowest endpoints (p95)</h4><table>${p.slowestEndpoints.map((e) => `<tr><td>${esc(`${e.method} ${e.route ?? "(no route)"}`)}</td><td style="padding-left:8px">${ms(e.p95)}</td><td style="padding-left:8px">${bar(e.p95 ?? 0, maxP95, "#d97706")}</td></tr>`).join("")}</table>`
    : "";
  const maxModel = Math.max(0, ...p.llm.topModels.map((m) => m.costUsd));
  const spend = includeSpend
    ? `<h4>LLM spend</h4><table>${row("This week", `${usd(p.llm.spendUsd)}${delta(p.llm.change)}`)}${row("Previous week", usd(p.llm.previousSpendUsd))}${row("Projected month end", usd(p.llm.projectedMonthEndUsd))}</table>` +
      (p.llm.topModels.length
        ? `<table>${p.llm.topModels.map((m) => `<tr><td>${esc(m.model ?? "?")}</td><td style="padding-left:8px">${usd(m.costUsd)}</td><td style="padding-left:8px">${bar(m.costUsd, maxModel, "#059669")}</td></tr>`).join("")}</table>`
        : "")
    : "";
  const alerts = `<h4>Alerts fired: ${p.alerts.fired}</h4>${p.alerts.incidents.length ? `<ul>${p.alerts.incidents.map((i) => `<li>${esc(`[${i.severity}] ${incidentTitle(i, includeSpend)}`)}</li>`).join("")}</ul>` : ""}`;
  return `<h3 style="margin-top:24px">${esc(p.name)}</h3><table>
    ${row("Requests", `${int(p.requests.value)}${delta(p.requests.change)}`)}
    ${row("Error rate", `${pct(p.errorRate.value)} (previous week ${pct(p.errorRate.previous)})`)}
    ${row("p95 latency", `${ms(p.p95.value)}${delta(p.p95.change)}`)}
  </table>${groups("New error groups", p.newGroups)}${groups("Regressed error groups", p.regressedGroups)}${endpoints}${spend}${alerts}`;
}

function textSection(p: Section, includeSpend: boolean) {
  const lines = [
    `== ${p.name} ==`,
    `Requests: ${int(p.requests.value)}${delta(p.requests.change)}`,
    `Error rate: ${pct(p.errorRate.value)} (previous week ${pct(p.errorRate.previous)})`,
    `p95 latency: ${ms(p.p95.value)}${delta(p.p95.change)}`,
  ];
  if (p.newGroups.length) lines.push("New error groups:", ...p.newGroups.map((g) => `  ${int(g.count)}  ${g.title}`));
  if (p.regressedGroups.length) lines.push("Regressed error groups:", ...p.regressedGroups.map((g) => `  ${int(g.count)}  ${g.title}`));
  if (p.slowestEndpoints.length)
    lines.push("Slowest endpoints (p95):", ...p.slowestEndpoints.map((e) => `  ${ms(e.p95)}  ${e.method} ${e.route ?? "(no route)"}`));
  if (includeSpend) {
    lines.push(
      `LLM spend: ${usd(p.llm.spendUsd)}${delta(p.llm.change)}; previous week ${usd(p.llm.previousSpendUsd)}; projected month end ${usd(p.llm.projectedMonthEndUsd)}`,
    );
    lines.push(...p.llm.topModels.map((m) => `  ${usd(m.costUsd)}  ${m.model ?? "?"}`));
  }
  lines.push(`Alerts fired: ${p.alerts.fired}`, ...p.alerts.incidents.map((i) => `  [${i.severity}] ${incidentTitle(i, includeSpend)}`));
  return lines.join("\n");
}

function checkpointHtml(c: ReportContent["auditCheckpoint"]) {
  if (!c) return "";
  return `<h3 style="margin-top:24px">Audit log checkpoint</h3><p style="color:#555">Signed ${esc(new Date(c.createdAt).toISOString())}, covering ${int(c.treeSize)} entries. Keep this e-mail: <code>npm run audit:verify -- --checkpoint &lt;file&gt;</code> proves the log still extends it.</p><pre style="font-size:12px;background:#f6f6f6;padding:8px">${esc(c.note)}</pre>`;
}

function checkpointText(c: ReportContent["auditCheckpoint"]) {
  return c ? `== Audit log checkpoint (${int(c.treeSize)} entries, signed ${new Date(c.createdAt).toISOString()}) ==\n${c.note}` : "";
}

export function renderReport(content: ReportContent, options: { includeSpend: boolean; unsubscribeUrl: string | null }) {
  const period = `${day(content.from)} – ${day(new Date(new Date(content.to).getTime() - 1))} (${content.timeZone})`;
  const subject = `Weekly report for ${content.org.name}: ${period}`;
  const empty = content.projects.length === 0 ? "<p>This organisation has no projects yet.</p>" : "";
  const unsubscribeHtml = options.unsubscribeUrl
    ? `<p style="color:#888;font-size:12px"><a href="${esc(options.unsubscribeUrl)}">Unsubscribe</a> from weekly reports of ${esc(content.org.name)}.</p>`
    : "";
  const html = `<div style="font-family:system-ui,sans-serif;max-width:640px"><h2>${esc(subject)}</h2>${empty}${content.projects.map((p) => htmlSection(p, options.includeSpend)).join("")}${checkpointHtml(content.auditCheckpoint)}${unsubscribeHtml}</div>`;
  const text = [
    subject,
    "",
    ...content.projects.map((p) => textSection(p, options.includeSpend) + "\n"),
    checkpointText(content.auditCheckpoint),
    options.unsubscribeUrl ? `Unsubscribe: ${options.unsubscribeUrl}` : "",
  ]
    .join("\n")
    .trim();
  return { subject, html, text };
}
