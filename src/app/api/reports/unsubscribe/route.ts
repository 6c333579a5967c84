import { unsubscribeWithToken, verifyUnsubscribeToken } from "@/server/reports/unsubscribe";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

const page = (status: number, title: string, body: string) =>
  new Response(
    `<!doctype html><html><head><meta charset="utf-8"><title>${title}</title></head><body style="font-family:system-ui,sans-serif;max-width:480px;margin:48px auto"><h1>${title}</h1>${body}</body></html>`,
    {
      status,
      headers: { "content-type": "text/html; charset=utf-8", "cache-control": "no-store", "referrer-policy": "no-referrer" },
    },
  );

const invalid = () => page(400, "Invalid link", "<p>This unsubscribe link is not valid. Manage weekly reports from your organisation settings instead.</p>");

/** GET shows a confirmation button (link scanners must not unsubscribe anyone); POST unsubscribes. No sign-in needed. */
export function GET(request: Request): Response {
  const token = new URL(request.url).searchParams.get("token") ?? "";
  if (!verifyUnsubscribeToken(token)) return invalid();
  const action = `?token=${encodeURIComponent(token)}`;
  return page(
    200,
    "Unsubscribe from weekly reports",
    `<form method="post" action="${action.replace(/"/g, "&quot;")}"><button type="submit">Unsubscribe</button></form>`,
  );
}

export async function POST(request: Request): Promise<Response> {
  const token = new URL(request.url).searchParams.get("token") ?? "";
  const done = await unsubscribeWithToken(token);
  if (!done) return invalid();
  const name = done.orgName.replace(/[&<>"']/g, "");
  return page(200, "Unsubscribed", `<p>You will no longer receive weekly reports for ${name}.</p>`);
}
