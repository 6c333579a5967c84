/** The outcome of a password sign-in, as the forms need it. */
type SignInResult = { ok: true } | { ok: false; error: string; retryAfter?: number };

/**
 * Signs in through NextAuth's credentials callback. Done by hand rather than with
 * `next-auth/react`'s `signIn` so the form can read a 429's Retry-After.
 */
export async function signInWithPassword(email: string, password: string): Promise<SignInResult> {
  const csrf = (await (await fetch("/api/auth/csrf")).json()) as { csrfToken: string };
  const response = await fetch("/api/auth/callback/credentials", {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ email, password, csrfToken: csrf.csrfToken, callbackUrl: "/", json: "true" }),
  });
  if (response.status === 429) {
    return { ok: false, error: "TooManyAttempts", retryAfter: Number(response.headers.get("Retry-After") ?? "60") };
  }
  const data = (await response.json().catch(() => ({}))) as { url?: string };
  const error = data.url ? new URL(data.url, window.location.origin).searchParams.get("error") : "SignInFailed";
  return error ? { ok: false, error } : { ok: true };
}

export function signInErrorMessage(result: SignInResult): string | null {
  if (result.ok) return null;
  if (result.error === "TooManyAttempts") return `Too many attempts, try again in ${result.retryAfter ?? 60} s`;
  if (result.error === "CredentialsSignin") return "Wrong e-mail or password";
  return "Sign-in failed, please try again";
}

const PROBE_ORIGIN = "http://sightline.invalid";

/**
 * Only same-origin paths are followed after sign-in. Judged after URL parsing, as the browser
 * will parse it: the parser drops tabs and newlines and reads `\` as `/`, so `/%09/evil.example`
 * (decoded to "/\t/evil.example") is a protocol-relative URL to another host.
 */
export function safeCallbackUrl(value: string | null | undefined): string {
  if (!value?.startsWith("/")) return "/";
  try {
    const url = new URL(value, PROBE_ORIGIN);
    return url.origin === PROBE_ORIGIN ? `${url.pathname}${url.search}${url.hash}` : "/";
  } catch {
    return "/";
  }
}

export async function signOut(): Promise<void> {
  const csrf = (await (await fetch("/api/auth/csrf")).json()) as { csrfToken: string };
  await fetch("/api/auth/signout", {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ csrfToken: csrf.csrfToken, callbackUrl: "/signin", json: "true" }),
  });
  window.location.assign("/signin");
}
