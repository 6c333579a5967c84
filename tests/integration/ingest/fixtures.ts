import http from "node:http";
import { randomBytes } from "node:crypto";
import { prisma } from "@/server/db/prisma";
import { pool } from "@/server/db/pool";
import { createApiKey } from "@/server/keys/create";

export const uniq = () => randomBytes(4).toString("hex");

/** A user, an organisation, a project and its ingest + read keys. */
export async function makeIngestProject() {
  const user = await prisma.user.create({
    data: { email: `ingest-${uniq()}@example.test`, name: "ingest", passwordHash: "x" },
    select: { id: true, email: true },
  });
  const slug = `org-${uniq()}`;
  const org = await prisma.organization.create({
    data: { slug, name: slug, memberships: { create: [{ userId: user.id, role: "owner" }] } },
    select: { id: true, slug: true },
  });
  const project = await prisma.project.create({
    data: { orgId: org.id, slug: `proj-${uniq()}`, name: "p" },
    select: { id: true, slug: true, orgId: true },
  });
  const actor = { userId: user.id, email: user.email, ip: null, userAgent: "vitest" };
  const ingestKey = await createApiKey({ seesSpend: true, project, input: { name: "ingest", scope: "ingest" }, actor });
  const readKey = await createApiKey({ seesSpend: true, project, input: { name: "read", scope: "read" }, actor });
  return { user, org, project, actor, ingestKey, readKey };
}

/**
 * POSTs over a fresh connection each time (no keep-alive pool): a pooled socket that the server
 * closes as idle while a large body is being written would otherwise surface as ECONNRESET.
 */
export async function post(baseUrl: string, key: string | null, body: string | Buffer, headers: Record<string, string> = {}, route = "/api/v1/ingest") {
  const payload = typeof body === "string" ? Buffer.from(body) : body;
  const {
    status,
    headers: resHeaders,
    text,
  } = await new Promise<{ status: number; headers: Headers; text: string }>((resolve, reject) => {
    const req = http.request(
      `${baseUrl}${route}`,
      {
        method: "POST",
        agent: false,
        headers: {
          "content-type": "application/json",
          "content-length": String(payload.length),
          ...(key ? { authorization: `Bearer ${key}` } : {}),
          ...headers,
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => {
          const h = new Headers();
          for (const [k, v] of Object.entries(res.headers)) if (typeof v === "string") h.set(k, v);
          resolve({ status: res.statusCode ?? 0, headers: h, text: Buffer.concat(chunks).toString("utf8") });
        });
        res.on("error", reject);
      },
    );
    req.on("error", reject);
    req.end(payload);
  });
  let json: unknown = null;
  try {
    json = JSON.parse(text);
  } catch {
    json = text;
  }
  return {
    status,
    headers: resHeaders,
    json: json as Record<string, unknown> & { accepted?: number; rejected?: Rejected[]; error?: { code: string; message: string } },
  };
}

type Rejected = { index: number; id?: string; errors: { path: string; message: string }[] };

export const sendBatch = (baseUrl: string, key: string, batch: unknown[]) => post(baseUrl, key, JSON.stringify({ batch }));

export async function rows<T = Record<string, unknown>>(sql: string, params: unknown[]): Promise<T[]> {
  return (await pool.query(sql, params)).rows as T[];
}

export async function countAll(projectId: string): Promise<Record<string, number>> {
  const tables = ["logs", "requests", "error_events", "error_groups", "llm_calls", "spans", "metric_points", "product_events"];
  const out: Record<string, number> = {};
  for (const t of tables) {
    const { rows: r } = await pool.query<{ n: string }>(`SELECT count(*)::text AS n FROM ${t} WHERE project_id = $1`, [projectId]);
    out[t] = Number(r[0]!.n);
  }
  return out;
}
