import type { Role } from "../auth/permissions";
import { prisma } from "../db/prisma";
import { notFound } from "@/server/app-error";

type Account = { user: { id: string; email: string; name: string }; orgs: Array<{ slug: string; name: string; role: Role }> };

/** The signed-in user and every organisation they belong to (oldest membership first). */
export async function getAccount(options: { userId: string }): Promise<Account> {
  const user = await prisma.user.findUnique({
    where: { id: options.userId },
    select: {
      id: true,
      email: true,
      name: true,
      memberships: { orderBy: { createdAt: "asc" }, select: { role: true, org: { select: { slug: true, name: true } } } },
    },
  });
  if (!user) throw notFound("Account not found");
  return { user: { id: user.id, email: user.email, name: user.name }, orgs: user.memberships.map((m) => ({ ...m.org, role: m.role })) };
}
