import { resolveDatabaseUrlForCli } from "../src/server/db/resolve-url";
import { migrate } from "../src/server/db/migrate";

const url = resolveDatabaseUrlForCli();
const result = await migrate(url);
console.log(JSON.stringify({ applied: result.applied, alreadyApplied: result.alreadyApplied.length, distributed: result.distributed }));
