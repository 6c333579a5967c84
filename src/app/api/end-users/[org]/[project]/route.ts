import { sessionUserFromRequest } from "@/server/auth/options";
import { pool } from "@/server/db/pool";
import { errorResponse, responseForError } from "@/server/http/respond";
import { actorOf, projectForArchiveAccess, ZEndUserExport } from "@/server/lifecycle/access";
import { exportEndUser } from "@/server/lifecycle/end-user";

/** GET /api/end-users/<org>/<project>?userId=<id>: everything stored about one end user, as NDJSON.gz (owners and admins). */
export async function GET(request: Request, { params }: { params: Promise<{ org: string; project: string }> }) {
  const user = await sessionUserFromRequest(request);
  if (!user) return errorResponse(401, "unauthorized", "Sign in to export end-user data");
  const parsed = ZEndUserExport.safeParse({ ...(await params), userId: new URL(request.url).searchParams.get("userId") ?? "" });
  if (!parsed.success) {
    const fields = Object.fromEntries(parsed.error.issues.map((i) => [String(i.path[0]), [i.message]]));
    return errorResponse(400, "bad_request", "Invalid export request", { fields });
  }
  try {
    const project = await projectForArchiveAccess(user.id, parsed.data.org, parsed.data.project, "export end-user data");
    const file = await exportEndUser(pool, project, parsed.data.userId, actorOf(request.headers, user));
    return new Response(new Uint8Array(file.body), {
      headers: {
        "content-type": "application/gzip",
        "content-disposition": `attachment; filename="end-user-export-${project.id}.ndjson.gz"`,
        "cache-control": "no-store",
        "x-rows": String(file.rows),
      },
    });
  } catch (error) {
    return responseForError(error, { message: "end-user export failed", path: "/api/end-users" });
  }
}
