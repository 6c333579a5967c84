import type { TestProject } from "vitest/node";
import { createTestDatabase } from "../../scripts/lib/test-database";

/** One fresh database per integration run; every test file creates its own users and orgs in it. */
export default async function setup(project: TestProject) {
  const db = await createTestDatabase("it");
  project.provide("databaseUrl", db.url);
  return async () => {
    if (!process.env.KEEP_TEST_DATABASE) await db.drop();
  };
}

declare module "vitest" {
  export interface ProvidedContext {
    databaseUrl: string;
  }
}
