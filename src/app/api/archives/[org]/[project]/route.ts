import { sessionUserFromRequest } from "@/server/auth/options";
import { errorResponse, responseForError } from "@/server/http/respond";
import { actorOf, projectForArchiveAccess, ZArchiveDownload } from "@/server/lifecycle/access";
import { openArchiveFile } from "@/server/lifecycle/archives";
import { archiveStoreFromEnv } from "@/server/lifecycle/store-from-env";

/** GET /api/archives/<org>/<project>?file=<key>: one archive file of the project, for owners and admins. */
export async function GET(request: Request, { params }: { params: Promise<{ org: string; project: string }> }) {
  const user = await sessionUserFromRequest(request);
  if (!user) return errorResponse(401, "unauthorized", "Sign in to download archives");
  const parsed = ZArchiveDownload.safeParse({ ...(await params), file: new URL(request.url).searchParams.get("file") ?? "" });
  if (!parsed.success) {
    const fields = Object.fromEntries(parsed.error.issues.map((i) => [String(i.path[0]), [i.message]]));
    return errorResponse(400, "bad_request", "Invalid archive request", { fields });
  }
  try {
    const project = await projectForArchiveAccess(user.id, parsed.data.org, parsed.data.project);
    const file = await openArchiveFile(archiveStoreFromEnv(), project, parsed.data.file, actorOf(request.headers, user));
    return new Response(file.body, {
      headers: {
        "content-type": file.type,
        "content-length": String(file.length),
        "content-disposition": `attachment; filename="${file.name}"`,
        "cache-control": "no-store",
      },
    });
  } catch (error) {
    return responseForError(error, { message: "archive download failed", path: "/api/archives" });
  }
}
