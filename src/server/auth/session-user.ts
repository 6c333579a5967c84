/** Who is signed in, as NextAuth's session and the tRPC context carry it. */
export type SessionUser = { id: string; email: string; name: string };
