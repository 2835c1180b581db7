import { existsSync } from "node:fs";
import { dirname, join } from "node:path";

/** The folder holding pnpm-workspace.yaml above `from` (the repository root), or `from` itself. */
export function findWorkspaceRoot(from: string = process.cwd()): string {
  let current = from;
  for (;;) {
    if (existsSync(join(current, "pnpm-workspace.yaml"))) return current;
    const parent = dirname(current);
    if (parent === current) return from;
    current = parent;
  }
}
