/**
 * Revocations reach every portal process at once: revoking (or deleting a project) sends
 * `NOTIFY api_key_revoked, '<key id>'` inside its transaction, so Postgres delivers it on commit,
 * and each process LISTENs on one connection of its own and evicts the key from its cache. While
 * that connection is down (it reconnects with backoff), the cache's 5-second TTL is the bound.
 */
import pg from "pg";
import { env } from "../env";
import { log } from "../log";
import { evictApiKey } from "./cache";

const REVOKED_CHANNEL = "api_key_revoked";

type Tx = { $executeRaw: (query: TemplateStringsArray, ...values: unknown[]) => Promise<number> };

/** Queues the notification in `tx`: sent when it commits, never if it rolls back. */
export async function notifyRevoked(tx: Tx, keyIds: string[]): Promise<void> {
  for (const id of keyIds) await tx.$executeRaw`SELECT pg_notify(${REVOKED_CHANNEL}, ${id})`;
}

export type RevocationListener = { ready: Promise<void>; stop: () => Promise<void> };

/** LISTENs on a connection of its own, calling `onRevoked` per key id; reconnects after errors until stopped. */
export function startRevocationListener(options: { connectionString: string; onRevoked: (keyId: string) => void; retryMs?: number }): RevocationListener {
  let client: pg.Client | null = null;
  let stopped = false;
  let attempt = 0;
  let markReady: () => void = () => {};
  const ready = new Promise<void>((resolve) => (markReady = resolve));

  const connect = async () => {
    if (stopped) return;
    const c = new pg.Client({ connectionString: options.connectionString });
    client = c;
    c.on("notification", (msg) => msg.channel === REVOKED_CHANNEL && msg.payload && options.onRevoked(msg.payload));
    c.on("error", (error) => {
      log.warn({ error: error.message }, "API key revocation listener lost its connection; reconnecting");
      void c.end().catch(() => {});
      if (client === c) retry();
    });
    try {
      await c.connect();
      await c.query(`LISTEN ${REVOKED_CHANNEL}`);
      // A listener never keeps a process alive on its own (scripts and tests exit when done).
      (c as unknown as { connection?: { stream?: { unref?: () => void } } }).connection?.stream?.unref?.();
      attempt = 0;
      markReady();
    } catch (error) {
      log.warn({ error: (error as Error).message }, "API key revocation listener could not connect; revoked keys expire from caches within 5 s meanwhile");
      void c.end().catch(() => {});
      if (client === c) retry();
    }
  };
  const retry = () => {
    client = null;
    if (stopped) return;
    const delay = Math.min((options.retryMs ?? 1_000) * 2 ** attempt++, 30_000);
    setTimeout(() => void connect(), delay).unref();
  };
  void connect();
  return {
    ready,
    stop: async () => {
      stopped = true;
      await client?.end().catch(() => {});
    },
  };
}

const globalForListener = globalThis as unknown as { sightlineRevocationListener?: RevocationListener };

/** Starts this process's listener on first use (the first key verification). */
export function listenForRevocations(): void {
  globalForListener.sightlineRevocationListener ??= startRevocationListener({ connectionString: env.DATABASE_URL, onRevoked: evictApiKey });
}
