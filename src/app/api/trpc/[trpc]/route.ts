import { randomUUID } from "node:crypto";
import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { getServerSession } from "next-auth";
import { appRouter } from "@/server/api/root";
import { contextFromHeaders, type SessionUser } from "@/server/api/trpc";
import { authOptions } from "@/server/auth/options";
import { withLogContext } from "@/server/log";

async function handler(request: Request) {
  const requestId = request.headers.get("x-request-id") ?? randomUUID();
  const session = await getServerSession(authOptions);
  const user: SessionUser | null = session?.user?.id ? session.user : null;
  const response = await withLogContext({ requestId, userId: user?.id }, () =>
    fetchRequestHandler({
      endpoint: "/api/trpc",
      req: request,
      router: appRouter,
      createContext: () => contextFromHeaders(request.headers, user, requestId),
    }),
  );
  response.headers.set("x-request-id", requestId);
  return response;
}

export { handler as GET, handler as POST };
