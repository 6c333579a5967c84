/**
 * evaluateAlerts: every enabled rule, once per minute. Rules are read set-based (one query per
 * project and data source, see measures.ts), each series steps through the state machine
 * (state.ts), incidents and their timelines are written and notifications queued in the same
 * transaction; the outbox is dispatched after commit. Idempotent per minute (a rule already
 * evaluated at this minute is skipped) and safe to run concurrently (transaction advisory lock).
 */
import type pg from "pg";
import { env } from "../env";
import { log } from "../log";
import { readBudget } from "./budget";
import type { DbPool } from "@/server/db/sql";
import { readGroupCounts, readMetricRules, type MetricReading } from "./measures";
import type { Notification } from "./notify";
import { addIncidentEvent, dispatchDeliveries, enqueueNotification, withTransaction } from "./outbox";
import { ZRuleConfig, type MetricConfig, type RuleConfig } from "./schemas";
import { INITIAL_STATE, stepSeries, type Observation, type SeriesState } from "./state";

const MINUTE = 60_000;
const LOCK_KEY = "sightline:alerts:evaluate";

type RuleRow = {
  id: string;
  project_id: string;
  name: string;
  kind: string;
  severity: "critical" | "warning" | "info";
  config: unknown;
  channel_ids: string[];
  repeat_interval_minutes: number | null;
  project_name: string;
  project_slug: string;
  org_slug: string;
  time_zone: string;
};
type Rule = Omit<RuleRow, "config"> & { config: RuleConfig };
type StateRow = {
  rule_id: string;
  series_key: string;
  state: SeriesState["state"];
  pending_since: Date | null;
  firing_since: Date | null;
  last_notified_at: Date | null;
  notified_firing: boolean;
  incident_id: string | null;
  labels: Record<string, string>;
};
type SeriesObs = { key: string; obs: Observation; value: number | null; label: string; labels: Record<string, string> };

const fmt = (v: number | null) => (v === null ? "no data" : Number.isInteger(v) ? String(v) : v.toPrecision(4));

function metricObservation(c: MetricConfig, r: MetricReading | undefined, firing: boolean): Observation {
  const value = r?.value ?? null;
  const guarded = c.minRequests > 0 && r?.requests !== null && r?.requests !== undefined && r.requests < c.minRequests;
  if (guarded) return { kind: "value", breach: false, clear: true };
  if (value === null) {
    if (c.noData === "keep") return { kind: "keep" };
    return { kind: "value", breach: c.noData === "alerting", clear: c.noData === "ok" };
  }
  const above = c.comparison === "above";
  const breach = above ? value > c.threshold : value < c.threshold;
  const resolveAt = c.resolveThreshold ?? c.threshold;
  const clear = firing ? (above ? value <= resolveAt : value >= resolveAt) : !breach;
  return { kind: "value", breach, clear };
}

async function observe(tx: pg.PoolClient, rules: Rule[], states: Map<string, StateRow>, now: Date): Promise<Map<string, SeriesObs[]>> {
  const out = new Map<string, SeriesObs[]>();
  const metricRules = rules.filter((r) => r.config.kind === "metric").map((r) => ({ id: r.id, projectId: r.project_id, config: r.config as MetricConfig }));
  const readings = await readMetricRules(tx, metricRules, now);
  const groupRules = rules.flatMap((r) =>
    r.config.kind === "group_count"
      ? [{ id: r.id, projectId: r.project_id, windowMinutes: r.config.windowMinutes, filters: r.config.filters, threshold: r.config.threshold }]
      : [],
  );
  const groupCounts = await readGroupCounts(tx, groupRules, now);
  const issueRules = rules.filter((r) => r.config.kind === "new_group" || r.config.kind === "regression");
  const issueGroups = await readIssueGroups(tx, issueRules, now);
  for (const rule of rules) {
    const c = rule.config;
    const series: SeriesObs[] = [];
    if (c.kind === "metric") {
      const firing = states.get(`${rule.id}\x1frule`)?.state === "firing";
      const reading = readings.get(rule.id);
      const value = reading?.value ?? null;
      const unit = c.thresholdType === "percent_change" ? "% change" : "";
      series.push({
        key: "rule",
        obs: metricObservation(c, reading, firing),
        value,
        label: `${c.metric} ${fmt(value)}${unit} (threshold ${c.comparison} ${c.threshold}${unit} over ${c.windowMinutes} min)`,
        labels: { metric: c.metric },
      });
    } else if (c.kind === "group_count") {
      const counts = groupCounts.get(rule.id) ?? new Map<string, number>();
      const titles = await groupTitles(
        tx,
        rule.project_id,
        [...counts.keys()].filter((g) => counts.get(g)! > c.threshold),
      );
      for (const [groupId, count] of counts) {
        if (count <= c.threshold && !states.has(`${rule.id}\x1fgroup:${groupId}`)) continue;
        const breach = count > c.threshold;
        series.push({
          key: `group:${groupId}`,
          obs: { kind: "value", breach, clear: !breach },
          value: count,
          label: `${titles.get(groupId) ?? "error group"} seen ${count} times in ${c.windowMinutes} min (threshold ${c.threshold})`,
          labels: { groupId },
        });
      }
    } else if (c.kind === "new_group" || c.kind === "regression") {
      const groups = (issueGroups.get(rule.project_id) ?? []).filter((g) =>
        c.kind === "new_group"
          ? g.first_seen.getTime() >= now.getTime() - c.windowMinutes * MINUTE
          : g.regressed && g.last_seen.getTime() >= now.getTime() - c.windowMinutes * MINUTE,
      );
      for (const g of groups)
        series.push({
          key: `group:${g.id}`,
          obs: { kind: "value", breach: true, clear: false },
          value: null,
          label: `${c.kind === "new_group" ? "New error" : "Regression"}: ${g.title}`,
          labels: { groupId: g.id },
        });
    } else {
      const b = await readBudget(tx, { projectId: rule.project_id, timeZone: rule.time_zone, config: c, now });
      const scope = c.userId ? ` for user ${c.userId}` : c.feature ? ` for feature ${c.feature}` : "";
      for (const pct of c.notifyAtPercent) {
        const breach = b.monthToDate >= (c.amountUsd * pct) / 100;
        series.push({
          key: `pct:${pct}`,
          obs: { kind: "value", breach, clear: !breach },
          value: b.monthToDate,
          label: `LLM spend${scope} reached ${pct}% of the $${c.amountUsd} monthly budget ($${b.monthToDate.toFixed(2)} this month)`,
          labels: { percent: String(pct) },
        });
      }
      if (c.notifyOnProjectedOverrun) {
        const breach = b.projected > c.amountUsd;
        series.push({
          key: "projected",
          obs: { kind: "value", breach, clear: !breach },
          value: b.projected,
          label: `LLM spend${scope} is projected to reach $${b.projected.toFixed(2)} by month end, over the $${c.amountUsd} budget`,
          labels: {},
        });
      }
    }
    // Series that were active but produced no observation this minute have cleared.
    const seen = new Set(series.map((s) => s.key));
    for (const st of states.values())
      if (st.rule_id === rule.id && !seen.has(st.series_key) && st.state !== "ok")
        series.push({ key: st.series_key, obs: { kind: "value", breach: false, clear: true }, value: 0, label: "condition cleared", labels: st.labels });
    out.set(rule.id, series);
  }
  return out;
}

async function groupTitles(tx: pg.PoolClient, projectId: string, ids: string[]) {
  if (!ids.length) return new Map<string, string>();
  const { rows } = await tx.query<{ id: string; title: string }>(`SELECT id, title FROM error_groups WHERE project_id = $1 AND id = ANY($2::uuid[])`, [
    projectId,
    ids,
  ]);
  return new Map(rows.map((r) => [r.id, r.title]));
}

/** Groups first seen or regressed within the widest issue-rule window, per project: one query. */
async function readIssueGroups(tx: pg.PoolClient, rules: Rule[], now: Date) {
  const out = new Map<string, Array<{ id: string; title: string; first_seen: Date; last_seen: Date; regressed: boolean }>>();
  if (!rules.length) return out;
  const widest = Math.max(...rules.map((r) => ("windowMinutes" in r.config ? r.config.windowMinutes : 0)));
  const { rows } = await tx.query<{ project_id: string; id: string; title: string; first_seen: Date; last_seen: Date; regressed: boolean }>(
    `SELECT project_id, id, title, first_seen, last_seen, (status = 'unresolved' AND substatus = 'regressed') AS regressed FROM error_groups
      WHERE project_id = ANY($1::uuid[]) AND last_seen >= $2 AND first_seen < $3 AND status <> 'ignored'`,
    [[...new Set(rules.map((r) => r.project_id))], new Date(now.getTime() - widest * MINUTE), now],
  );
  for (const r of rows) out.set(r.project_id, [...(out.get(r.project_id) ?? []), r]);
  return out;
}

const toSeriesState = (s: StateRow | undefined): SeriesState =>
  s
    ? { state: s.state, pendingSince: s.pending_since, firingSince: s.firing_since, lastNotifiedAt: s.last_notified_at, notifiedFiring: s.notified_firing }
    : INITIAL_STATE;

function incidentUrl(rule: Rule, incidentId: string) {
  return env.NEXTAUTH_URL ? `${new URL(env.NEXTAUTH_URL).origin}/${rule.org_slug}/${rule.project_slug}/alerts/incidents/${incidentId}` : null;
}

async function applySeries(tx: pg.PoolClient, rule: Rule, s: SeriesObs, prevRow: StateRow | undefined, silenced: boolean, now: Date) {
  const c = rule.config;
  const forMs = c.kind === "metric" ? c.forMinutes * MINUTE : 0;
  const step = stepSeries(
    toSeriesState(prevRow),
    s.obs,
    { forMs, repeatMs: rule.repeat_interval_minutes === null ? null : rule.repeat_interval_minutes * MINUTE },
    now,
    silenced,
  );
  const oneShot = c.kind === "new_group" || c.kind === "regression";
  let notify = step.notify;
  if (oneShot && notify === "resolved") notify = null;
  let incidentId = prevRow?.incident_id ?? null;
  const dedupKey = `${rule.id}:${s.key}`.slice(0, 255);
  const title = `${rule.name} — ${s.label}`.slice(0, 500);
  if (step.transition === "firing") {
    const { rows } = await tx.query<{ id: string }>(
      `INSERT INTO alert_incidents (project_id, rule_id, series_key, dedup_key, title, severity, status, labels, last_value, started_at)
       VALUES ($1, $2, $3, $4, $5, $6, 'firing', $7, $8, $9) RETURNING id`,
      [rule.project_id, rule.id, s.key, dedupKey, title, rule.severity, JSON.stringify(s.labels), s.value, now],
    );
    incidentId = rows[0]!.id;
    const pendingFor = step.next.pendingSince ? Math.round((now.getTime() - step.next.pendingSince.getTime()) / MINUTE) : 0;
    await addIncidentEvent(tx, incidentId, now, "firing", `Firing: ${s.label}${pendingFor ? ` (pending for ${pendingFor} min)` : ""}`, { value: s.value });
  } else if (incidentId && step.next.state === "firing") {
    await tx.query(`UPDATE alert_incidents SET last_value = $2 WHERE id = $1`, [incidentId, s.value]);
    await addIncidentEvent(tx, incidentId, now, "evaluation", s.label, { value: s.value, silenced });
  }
  if (step.suppressed) await addIncidentEvent(tx, incidentId, now, "suppressed", "Notification suppressed by a silence");
  if (notify && incidentId) {
    const n: Notification = {
      kind: notify,
      title,
      severity: rule.severity,
      text: notify === "resolved" ? `Resolved: ${s.label}` : notify === "repeat" ? `Still firing: ${s.label}` : `Firing: ${s.label}`,
      project: { id: rule.project_id, name: rule.project_name },
      rule: { id: rule.id, name: rule.name },
      incidentId,
      dedupKey,
      value: s.value,
      url: incidentUrl(rule, incidentId),
      items: [],
    };
    await enqueueNotification(tx, { projectId: rule.project_id, channelIds: rule.channel_ids, notification: n, now });
  }
  if (step.transition === "resolved" && incidentId) {
    await tx.query(`UPDATE alert_incidents SET status = 'resolved', resolved_at = $2, last_value = $3 WHERE id = $1`, [incidentId, now, s.value]);
    await addIncidentEvent(
      tx,
      incidentId,
      now,
      "resolved",
      oneShot ? "Resolved: the group left the rule's window (issue alerts send no resolve notice)" : `Resolved: ${s.label}`,
      { value: s.value },
    );
    incidentId = null;
  }
  if (!prevRow && step.next.state === "ok") return;
  const n = step.next;
  await tx.query(
    `INSERT INTO alert_states (rule_id, series_key, project_id, state, labels, pending_since, firing_since, last_value, last_notified_at, notified_firing, incident_id, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
     ON CONFLICT (rule_id, series_key) DO UPDATE SET state = EXCLUDED.state, labels = EXCLUDED.labels, pending_since = EXCLUDED.pending_since,
       firing_since = EXCLUDED.firing_since, last_value = EXCLUDED.last_value, last_notified_at = EXCLUDED.last_notified_at,
       notified_firing = EXCLUDED.notified_firing, incident_id = EXCLUDED.incident_id, updated_at = EXCLUDED.updated_at`,
    [
      rule.id,
      s.key,
      rule.project_id,
      n.state,
      JSON.stringify(s.labels),
      n.state === "ok" ? null : n.pendingSince,
      n.firingSince,
      s.value,
      n.lastNotifiedAt,
      n.notifiedFiring,
      incidentId,
      now,
    ],
  );
}

type EvaluateResult = { minute: Date; rules: number; skipped: number; dispatch: Awaited<ReturnType<typeof dispatchDeliveries>> };

/** Evaluates every enabled rule (of `projectIds`, or all) at `now` (floored to the minute). */
export async function evaluateAlerts(db: DbPool, options: { now?: Date; projectIds?: string[] } = {}): Promise<EvaluateResult> {
  const now = new Date(Math.floor((options.now ?? new Date()).getTime() / MINUTE) * MINUTE);
  const scope = options.projectIds ?? null;
  const counts = await withTransaction(db, async (tx) => {
    await tx.query(`SELECT pg_advisory_xact_lock(hashtext($1))`, [LOCK_KEY]);
    const { rows } = await tx.query<RuleRow>(
      `SELECT r.id, r.project_id, r.name, r.kind, r.severity, r.config, r.channel_ids, r.repeat_interval_minutes,
              p.name AS project_name, p.slug AS project_slug, o.slug AS org_slug, o.time_zone
         FROM alert_rules r JOIN projects p ON p.id = r.project_id JOIN organizations o ON o.id = p.org_id
        WHERE r.enabled AND (r.last_evaluated_at IS NULL OR r.last_evaluated_at < $1) AND ($2::uuid[] IS NULL OR r.project_id = ANY($2::uuid[]))
        ORDER BY r.project_id, r.id FOR UPDATE OF r`,
      [now, scope],
    );
    const rules: Rule[] = [];
    for (const row of rows) {
      const parsed = ZRuleConfig.safeParse(row.config);
      if (parsed.success) rules.push({ ...row, config: parsed.data });
      else log.warn({ ruleId: row.id, issues: parsed.error.issues }, "alert rule with an invalid config skipped");
    }
    const ids = rules.map((r) => r.id);
    const { rows: stateRows } = await tx.query<StateRow>(`SELECT * FROM alert_states WHERE rule_id = ANY($1::uuid[])`, [ids]);
    const states = new Map(stateRows.map((s) => [`${s.rule_id}\x1f${s.series_key}`, s]));
    const { rows: silences } = await tx.query<{ rule_id: string }>(
      `SELECT DISTINCT rule_id FROM alert_silences WHERE rule_id = ANY($1::uuid[]) AND starts_at <= $2 AND ends_at > $2`,
      [ids, now],
    );
    const silenced = new Set(silences.map((s) => s.rule_id));
    const observations = await observe(tx, rules, states, now);
    for (const rule of rules) {
      for (const s of observations.get(rule.id) ?? []) await applySeries(tx, rule, s, states.get(`${rule.id}\x1f${s.key}`), silenced.has(rule.id), now);
    }
    await tx.query(`UPDATE alert_rules SET last_evaluated_at = $2 WHERE id = ANY($1::uuid[])`, [ids, now]);
    return { rules: rules.length, skipped: rows.length - rules.length };
  });
  const dispatch = await dispatchDeliveries(db, { now, projectIds: scope ?? undefined });
  return { minute: now, ...counts, dispatch };
}
