/**
 * The delivery outbox. Evaluation writes one row per (notification, channel) in its transaction;
 * `dispatchDeliveries` claims due rows (SKIP LOCKED, so runs may overlap), sends them and records
 * the outcome on the incident's timeline. Failures are retried with exponential backoff and jitter
 * and end as `failed` (shown, never dropped). A channel over its hourly limit gets `folded` rows,
 * later sent together as one digest.
 */
import type pg from "pg";
import type { Db, DbPool } from "../db/sql";
import { log } from "../log";
import { deliverNotification, ZNotification, type DeliveryResult, type Notification } from "./notify";
import { backoffMs, MAX_ATTEMPTS } from "./backoff";
import { ZChannelConfig } from "./schemas";

const LOCK_MS = 5 * 60_000;

export async function addIncidentEvent(db: Db, incidentId: string | null, at: Date, kind: string, message: string, detail: object = {}) {
  if (!incidentId) return;
  await db.query(`INSERT INTO alert_incident_events (incident_id, at, kind, message, detail) VALUES ($1, $2, $3, $4, $5)`, [
    incidentId,
    at,
    kind,
    message.slice(0, 1000),
    JSON.stringify(detail),
  ]);
}

const sentInLastHour = async (db: Db, channelId: string, now: Date) =>
  Number(
    (
      await db.query<{ n: string }>(
        `SELECT count(*) AS n FROM alert_deliveries WHERE channel_id = $1 AND kind <> 'test' AND status <> 'folded'
          AND created_at > $2::timestamptz - interval '1 hour' AND created_at <= $2`,
        [channelId, now],
      )
    ).rows[0]!.n,
  );

/** Queues `n` for each channel; a channel at its hourly limit gets the row folded into a later digest. */
export async function enqueueNotification(db: Db, options: { projectId: string; channelIds: string[]; notification: Notification; now: Date }) {
  const { projectId, notification: n, now } = options;
  if (!options.channelIds.length) return;
  const { rows: channels } = await db.query<{ id: string; name: string; max_per_hour: number }>(
    `SELECT id, name, max_per_hour FROM alert_channels WHERE project_id = $1 AND id = ANY($2::uuid[]) AND disabled_at IS NULL`,
    [projectId, options.channelIds],
  );
  for (const ch of channels) {
    const folded = (await sentInLastHour(db, ch.id, now)) >= ch.max_per_hour;
    await db.query(
      `INSERT INTO alert_deliveries (project_id, channel_id, incident_id, kind, payload, status, next_attempt_at, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $7)`,
      [projectId, ch.id, n.incidentId, n.kind, JSON.stringify(n), folded ? "folded" : "pending", now],
    );
    await addIncidentEvent(
      db,
      n.incidentId,
      now,
      folded ? "notification_folded" : "notification_queued",
      folded ? `${ch.name}: over ${ch.max_per_hour}/hour, folded into the next digest` : `${n.kind} notification queued for ${ch.name}`,
      { channelId: ch.id },
    );
  }
}

/** Folded rows of channels that are back under their limit become one digest delivery each. */
async function createDigests(db: Db, now: Date, projectIds?: string[]) {
  const { rows } = await db.query<{ channel_id: string; project_id: string; max_per_hour: number; name: string }>(
    `SELECT DISTINCT d.channel_id, d.project_id, c.max_per_hour, c.name FROM alert_deliveries d JOIN alert_channels c ON c.id = d.channel_id
      WHERE d.status = 'folded' AND d.digest_id IS NULL AND d.created_at <= $1 AND ($2::uuid[] IS NULL OR d.project_id = ANY($2::uuid[]))`,
    [now, projectIds ?? null],
  );
  for (const ch of rows) {
    if ((await sentInLastHour(db, ch.channel_id, now)) >= ch.max_per_hour) continue;
    const { rows: folded } = await db.query<{ id: string; payload: unknown; created_at: Date }>(
      `SELECT id, payload, created_at FROM alert_deliveries WHERE channel_id = $1 AND status = 'folded' AND digest_id IS NULL AND created_at <= $2
        ORDER BY created_at FOR UPDATE SKIP LOCKED`,
      [ch.channel_id, now],
    );
    if (!folded.length) continue;
    const items = folded.map((f) => {
      const p = ZNotification.parse(f.payload);
      return { kind: p.kind, title: p.title, at: f.created_at.toISOString(), project: p.project, severity: p.severity };
    });
    const first = items[0]!;
    const digest: Notification = {
      kind: "digest",
      title: `${items.length} alert notification(s) held back by the rate limit of ${ch.name}`,
      text: `This channel allows ${ch.max_per_hour} notifications per hour; these arrived beyond it:`,
      severity: items.some((i) => i.severity === "critical") ? "critical" : items.some((i) => i.severity === "warning") ? "warning" : "info",
      project: first.project,
      rule: null,
      incidentId: null,
      dedupKey: null,
      value: null,
      url: null,
      items: items.map(({ kind, title, at }) => ({ kind, title, at })),
    };
    const { rows: created } = await db.query<{ id: string }>(
      `INSERT INTO alert_deliveries (project_id, channel_id, kind, payload, status, next_attempt_at, created_at)
       VALUES ($1, $2, 'digest', $3, 'pending', $4, $4) RETURNING id`,
      [ch.project_id, ch.channel_id, JSON.stringify(digest), now],
    );
    await db.query(`UPDATE alert_deliveries SET digest_id = $1 WHERE id = ANY($2::uuid[])`, [created[0]!.id, folded.map((f) => f.id)]);
  }
}

type Claimed = {
  id: string;
  project_id: string;
  channel_id: string;
  incident_id: string | null;
  kind: string;
  payload: unknown;
  attempts: number;
  channel_name: string;
  config: unknown;
  secret: string | null;
  disabled_at: Date | null;
  org_id: string;
};

/** Sends every due delivery (in `projectIds`, or all). Returns counts by outcome. */
export async function dispatchDeliveries(db: DbPool, options: { now?: Date; projectIds?: string[] } = {}) {
  const now = options.now ?? new Date();
  await withTransaction(db, async (tx) => createDigests(tx, now, options.projectIds));
  const { rows } = await db.query<Claimed>(
    `WITH due AS (
       SELECT id FROM alert_deliveries
        WHERE ((status = 'pending' AND next_attempt_at <= $1) OR (status = 'sending' AND locked_until < $1))
          AND ($2::uuid[] IS NULL OR project_id = ANY($2::uuid[]))
        ORDER BY next_attempt_at LIMIT 200 FOR UPDATE SKIP LOCKED)
     UPDATE alert_deliveries d SET status = 'sending', locked_until = $3 FROM due, alert_channels c, projects p
      WHERE d.id = due.id AND c.id = d.channel_id AND p.id = d.project_id
     RETURNING d.id, d.project_id, d.channel_id, d.incident_id, d.kind, d.payload, d.attempts,
       c.name AS channel_name, c.config, c.secret, c.disabled_at, p.org_id`,
    [now, options.projectIds ?? null, new Date(now.getTime() + LOCK_MS)],
  );
  const outcome = { sent: 0, retrying: 0, failed: 0 };
  for (const d of rows) {
    const attempts = d.attempts + 1;
    const result: DeliveryResult = d.disabled_at
      ? { ok: false, error: "the channel is disabled", permanent: true, category: "refused" }
      : await deliverNotification(
          { id: d.channel_id, orgId: d.org_id, config: ZChannelConfig.parse(d.config), secret: d.secret },
          ZNotification.parse(d.payload),
          d.id,
        ).catch((err: unknown) => ({ ok: false as const, error: (err as Error).message, category: "connection" as const }));
    if (result.ok) {
      outcome.sent++;
      await db.query(`UPDATE alert_deliveries SET status = 'sent', attempts = $2, sent_at = $3, locked_until = NULL, last_error = NULL WHERE id = $1`, [
        d.id,
        attempts,
        now,
      ]);
      await addIncidentEvent(db, d.incident_id, now, "notification_sent", `${d.kind} notification sent to ${d.channel_name}`, {
        channelId: d.channel_id,
        attempts,
      });
      continue;
    }
    const giveUp = result.permanent || attempts >= MAX_ATTEMPTS;
    const next = new Date(now.getTime() + backoffMs(attempts));
    await db.query(`UPDATE alert_deliveries SET status = $2, attempts = $3, next_attempt_at = $4, locked_until = NULL, last_error = $5 WHERE id = $1`, [
      d.id,
      giveUp ? "failed" : "pending",
      attempts,
      next,
      result.error.slice(0, 1000),
    ]);
    if (result.disable)
      await db.query(`UPDATE alert_channels SET disabled_at = $2, disabled_reason = $3 WHERE id = $1`, [d.channel_id, now, result.error.slice(0, 256)]);
    await addIncidentEvent(
      db,
      d.incident_id,
      now,
      "notification_failed",
      giveUp
        ? `${d.kind} notification to ${d.channel_name} failed for good after ${attempts} attempt(s): ${result.error}`
        : `${d.kind} notification to ${d.channel_name} failed (attempt ${attempts}), retrying at ${next.toISOString()}: ${result.error}`,
      { channelId: d.channel_id, attempts, error: result.error, final: giveUp },
    );
    if (giveUp) {
      outcome.failed++;
      log.warn({ deliveryId: d.id, channelId: d.channel_id, error: result.error }, "alert delivery failed for good");
    } else outcome.retrying++;
  }
  return outcome;
}

export async function withTransaction<T>(db: DbPool, fn: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await db.connect();
  try {
    await client.query("BEGIN");
    const out = await fn(client);
    await client.query("COMMIT");
    return out;
  } catch (err) {
    await client.query("ROLLBACK").catch(() => undefined);
    throw err;
  } finally {
    client.release();
  }
}
