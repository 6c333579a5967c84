import { existsSync, readdirSync, statSync } from "node:fs";
import path from "node:path";

/** What `next build` reads: a build older than any of these is rebuilt by `npm start` and the e2e server alike. */
const BUILD_INPUTS = ["src", "next.config.mjs", "tailwind.config.ts", "postcss.config.mjs", "tsconfig.build.json", "package-lock.json"];

function newestMtime(target: string): number {
  const stat = statSync(target);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return readdirSync(target).reduce((newest, name) => Math.max(newest, newestMtime(path.join(target, name))), stat.mtimeMs);
}

/** True when `<distDir>/BUILD_ID` is missing or older than the sources (NEXT_DIST_DIR picks the folder). */
export function buildIsStale(root: string, distDir = process.env.NEXT_DIST_DIR || ".next"): boolean {
  const buildId = path.join(root, distDir, "BUILD_ID");
  if (!existsSync(buildId)) return true;
  const built = statSync(buildId).mtimeMs;
  return BUILD_INPUTS.some((p) => existsSync(path.join(root, p)) && newestMtime(path.join(root, p)) > built);
}
