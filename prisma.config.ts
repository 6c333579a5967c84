import { defineConfig } from "prisma/config";

// The CLI is used for `prisma generate` (no database needed) and, where Prisma's schema
// engine can be downloaded, `prisma migrate deploy`; the app applies the same SQL itself.
export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
  datasource: { url: process.env.DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres" },
});
