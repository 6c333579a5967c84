import { serve } from "inngest/next";
import { functions, inngest } from "@/server/jobs/client";

export const dynamic = "force-dynamic";

/** The Inngest executor syncs (PUT), introspects (GET) and invokes (POST) functions here. */
export const { GET, POST, PUT } = serve({ client: inngest, functions });
