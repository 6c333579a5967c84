/**
 * The embedded database (PGlite behind pglite-socket) serves many connections through one
 * queue. Outside a transaction pglite-socket 0.2 took the next message from any connection, so
 * one connection's extended-protocol messages (Parse, Bind, Execute, Sync) could interleave with
 * another's: "bind message supplies 7 parameters, but prepared statement "" requires 1", or one
 * statement run with another's values. Each connection's sequence now runs whole.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmbeddedPostgres, type EmbeddedPostgres } from "@/server/db/embedded";
import { endsSequence } from "@/server/db/embedded-queue";

let dir: string;
let embedded: EmbeddedPostgres;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "sightline-embedded-"));
  embedded = await startEmbeddedPostgres({ dataDir: path.join(dir, "pgdata"), port: 54000 + Math.floor(Math.random() * 900) });
}, 120_000);
afterAll(async () => {
  await embedded?.stop();
  await rm(dir, { recursive: true, force: true });
});

describe("embedded Postgres under concurrent connections", () => {
  it("runs every connection's parameterised statements whole, with its own values", async () => {
    const pool = new pg.Pool({ connectionString: embedded.url, max: 8 });
    try {
      // Statements with 1 to 8 parameters, each returning what it was given, from 8 connections at once.
      const calls = Array.from({ length: 400 }, (_, i) => {
        const n = 1 + (i % 8);
        const params = Array.from({ length: n }, (_, k) => `${i}:${k}`);
        const sql = `SELECT ${params.map((_, k) => `$${k + 1}::text`).join(" || ',' || ")} AS v`;
        return pool.query<{ v: string }>(sql, params).then(
          (r) => (r.rows[0]!.v === params.join(",") ? "ok" : `wrong values: ${r.rows[0]!.v}`),
          (e: Error) => e.message,
        );
      });
      const outcomes = await Promise.all(calls);
      expect(outcomes.filter((o) => o !== "ok")).toEqual([]);
      // A transaction on one connection still sees only its own statements meanwhile.
      const client = await pool.connect();
      try {
        await client.query("BEGIN");
        await client.query("CREATE TEMP TABLE t (x int)");
        const others = Promise.all(Array.from({ length: 20 }, (_, i) => pool.query("SELECT $1::int AS x", [i])));
        await client.query("INSERT INTO t VALUES ($1), ($2)", [1, 2]);
        expect((await client.query("SELECT sum(x)::int AS s FROM t")).rows[0].s).toBe(3);
        await client.query("COMMIT");
        expect((await others).map((r) => r.rows[0].x)).toEqual(Array.from({ length: 20 }, (_, i) => i));
      } finally {
        client.release();
      }
    } finally {
      await pool.end();
    }
  }, 120_000);
});

describe("which message ends a connection's claim on the queue", () => {
  const message = (type: string, body = "") => {
    const text = Buffer.from(body ? `${body}\0` : "");
    const out = Buffer.alloc(5 + text.length);
    out.write(type, 0, "latin1");
    out.writeInt32BE(4 + text.length, 1);
    text.copy(out, 5);
    return new Uint8Array(out);
  };
  it("Sync, Terminate, a simple Query, and CopyDone or CopyFail after a COPY FROM STDIN", () => {
    expect(["P", "B", "D", "E", "H", "d"].map((t) => endsSequence(message(t)))).toEqual([false, false, false, false, false, false]);
    expect(["S", "X", "c", "f"].map((t) => endsSequence(message(t)))).toEqual([true, true, true, true]);
    expect(endsSequence(message("Q", "SELECT 1"))).toBe(true);
    expect(endsSequence(message("Q", "COPY logs (message) FROM STDIN"))).toBe(false);
    expect(endsSequence(message("Q", "  copy t\n from   stdin with (format csv)"))).toBe(false);
    expect(endsSequence(message("Q", "COPY t TO STDOUT"))).toBe(true);
  });
});
