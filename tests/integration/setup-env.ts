import { inject } from "vitest";

// Runs in each worker before the test file imports anything from src/, so env.ts sees these.
process.env.DATABASE_URL = inject("databaseUrl");
process.env.NEXTAUTH_SECRET ??= "integration-tests-secret-0123456789abcdef";
process.env.LOG_LEVEL ??= "warn";
process.env.DATABASE_POOL_MAX ??= "4";
// As behind one reverse proxy: the test requests' X-Forwarded-For is the address it appended.
process.env.TRUSTED_PROXIES ??= "1";
