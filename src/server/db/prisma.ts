import "server-only";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "../../generated/prisma/client";
import { pool } from "./pool";

const globalForPrisma = globalThis as unknown as { sightlinePrisma?: PrismaClient };

export const prisma: PrismaClient = globalForPrisma.sightlinePrisma ?? new PrismaClient({ adapter: new PrismaPg(pool) });

if (process.env.NODE_ENV !== "production") globalForPrisma.sightlinePrisma = prisma;

export type { PrismaClient };
export { Prisma } from "../../generated/prisma/client";
