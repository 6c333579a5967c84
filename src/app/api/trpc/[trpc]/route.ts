import { randomUUID } from "node:crypto";
import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { appRouter } from "@/server/api/root";
import { contextFromHeaders } from "@/server/api/trpc";
import { sessionUserFromRequest } from "@/server/auth/options";
import { withLogContext } from "@/server/log";

async function handler(request: Request) {
  const requestId = request.headers.get("x-request-id") ?? randomUUID();
  const user = await sessionUserFromRequest(request);
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
