import { accountRouter } from "./routers/account";
import { alertsRouter } from "./routers/alerts";
import { apiKeyRouter } from "./routers/api-key";
import { auditRouter } from "./routers/audit";
import { dashboardsRouter } from "./routers/dashboards";
import { homeRouter } from "./routers/home";
import { ingestSettingsRouter } from "./routers/ingest-settings";
import { invitationRouter } from "./routers/invitation";
import { lifecycleRouter } from "./routers/lifecycle";
import { memberRouter } from "./routers/member";
import { orgRouter } from "./routers/org";
import { projectRouter } from "./routers/project";
import { reportsRouter } from "./routers/reports";
import { createCallerFactory, createTRPCRouter } from "./trpc";

/** Every tRPC router of the portal; the client's types come from `AppRouter`. */
export const appRouter = createTRPCRouter({
  account: accountRouter,
  org: orgRouter,
  project: projectRouter,
  member: memberRouter,
  invitation: invitationRouter,
  apiKey: apiKeyRouter,
  audit: auditRouter,
  ingestSettings: ingestSettingsRouter,
  dashboards: dashboardsRouter,
  home: homeRouter,
  alerts: alertsRouter,
  reports: reportsRouter,
  lifecycle: lifecycleRouter,
});

export type AppRouter = typeof appRouter;

/** Server-side caller: `createCaller(ctx).org.list()` — used by tests, server components and jobs. */
export const createCaller = createCallerFactory(appRouter);
