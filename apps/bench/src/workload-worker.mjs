// The write workload's thread: runs workload-thread.ts (bundled like every entry, see @soleflip/launcher).
import { launch } from "@soleflip/launcher";

await launch(new URL("./workload-thread.ts", import.meta.url));
