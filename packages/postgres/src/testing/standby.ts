import type { PostgresMajor } from "../binaries.ts";
import type { EmbeddedServer } from "../embedded.ts";
import { createStandby, type Standby } from "../standby.ts";
import { freePort } from "./free-port.ts";
import { afterFile, tempDir } from "./index.ts";

export type { Standby };

/** A streaming hot standby of an embedded primary (see createStandby), stopped after the file's tests. */
export async function startStandby(primary: EmbeddedServer & { dataDir: string; major: PostgresMajor }): Promise<Standby> {
  const dir = await tempDir("sf-standby");
  const standby = await createStandby(primary, dir, await freePort());
  afterFile(() => standby.stop());
  return standby;
}
