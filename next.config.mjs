/** @type {import('next').NextConfig} */
const nextConfig = {
  reactStrictMode: true,
  // A second checkout-local build (e.g. two engineers running e2e at once) can use its own folder.
  distDir: process.env.NEXT_DIST_DIR || ".next",
  poweredByHeader: false,
  // `next build` type-checks the app and everything it imports; tests and scripts are checked
  // by `npm run typecheck`.
  typescript: { tsconfigPath: "tsconfig.build.json" },
  // Node-only packages stay out of the server bundle and load from node_modules at run time.
  serverExternalPackages: ["pg", "pino", "@prisma/client", "@prisma/adapter-pg", "ioredis", "@electric-sql/pglite"],
};

export default nextConfig;
