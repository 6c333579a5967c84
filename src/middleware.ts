import { getToken } from "next-auth/jwt";
import { NextResponse, type NextRequest } from "next/server";

const PUBLIC_PAGES = [/^\/signin$/, /^\/signup$/, /^\/signup\/confirm$/, /^\/invite\/[^/]+$/];

/**
 * Every response carries `x-request-id` (the caller's, or a new one that the route handlers
 * and logs also see). Signed-out visitors of portal pages go to /signin and come back after.
 */
export async function middleware(request: NextRequest) {
  const requestId = request.headers.get("x-request-id") ?? crypto.randomUUID();
  const headers = new Headers(request.headers);
  headers.set("x-request-id", requestId);
  const { pathname, search } = request.nextUrl;

  const isPortalPage = !pathname.startsWith("/api/") && !PUBLIC_PAGES.some((re) => re.test(pathname));
  if (isPortalPage && !(await getToken({ req: request }))) {
    const signin = new URL("/signin", request.url);
    if (pathname !== "/") signin.searchParams.set("callbackUrl", pathname + search);
    const redirect = NextResponse.redirect(signin);
    redirect.headers.set("x-request-id", requestId);
    return redirect;
  }

  const response = NextResponse.next({ request: { headers } });
  response.headers.set("x-request-id", requestId);
  return response;
}

export const config = {
  matcher: ["/((?!_next/static|_next/image|favicon.ico|.*\\.(?:png|svg|ico|txt)$).*)"],
};
