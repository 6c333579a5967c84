import { describe, expect, it } from "vitest";
import { distributeForCitus } from "@/server/db/citus";
import { pool } from "@/server/db/pool";

describe("Citus distribution step on plain Postgres", () => {
  it("is a no-op without the citus extension", async () => {
    const client = await pool.connect();
    try {
      expect(await distributeForCitus(client)).toEqual({ citus: false, distributed: [], alreadyDistributed: [] });
    } finally {
      client.release();
    }
  });
});
