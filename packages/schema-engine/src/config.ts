import { setDefault } from "./env.ts";
import { offlinePrismaEnv } from "./prisma-cli.ts";

/**
 * For a project's prisma.config.ts: makes a plain `npx prisma …` work offline, as `pnpm prisma` does,
 * by pointing the CLI at the WebAssembly engine's stand-in (unless the environment already names an
 * engine) and turning off its telemetry and update checks. Prisma reads these before it looks for an
 * engine to download.
 */
export function useOfflineEngine(): void {
  const offline = offlinePrismaEnv({});
  for (const [name, value] of Object.entries(offline)) {
    if (value !== undefined) setDefault(name, value);
  }
}
