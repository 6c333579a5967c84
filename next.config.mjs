/** @type {import('next').NextConfig} */
const nextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  // Node-only packages stay out of the server bundle and load from node_modules at run time.
  serverExternalPackages: ["pg", "pino", "@prisma/client", "@prisma/adapter-pg", "ioredis", "@electric-sql/pglite"],
};

export default nextConfig;
