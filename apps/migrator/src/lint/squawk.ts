import { execFile } from "node:child_process";
import { createRequire } from "node:module";
import { ToolkitError } from "@soleflip/core";
import type { Finding } from "./finding.ts";

/**
 * Squawk rules we switch off, and why:
 * - prefer-robust-stmts: our runner decides every operation from the live definitions, so a re-run after
 *   an interruption is safe without IF [NOT] EXISTS or a transaction around each statement;
 * - require-statement-timeout: validations and concurrent index builds must not be cut off; writers are
 *   protected by lock_timeout, which squawk's require-lock-timeout still checks.
 */
export const SQUAWK_EXCLUDED = ["prefer-robust-stmts", "require-statement-timeout"] as const;

/** The oldest PostgreSQL we support: CHECK-proven SET NOT NULL needs 12; Debian's 15 is what we test. */
const PG_VERSION = "15.0";

interface SquawkViolation {
  file: string;
  line: number;
  level: string;
  message: string;
  help: string | null;
  rule_name: string;
}

/** Runs squawk (the npm package's own binary, offline) over files and returns its findings. */
export async function runSquawk(files: readonly string[], displayName: (file: string) => string): Promise<Finding[]> {
  if (files.length === 0) return [];
  const require = createRequire(import.meta.url);
  const entry = require.resolve("squawk-cli/js/bin/squawk");
  const stdout = await new Promise<string>((resolve, reject) => {
    execFile(
      process.execPath,
      [entry, "--reporter", "json", `--pg-version=${PG_VERSION}`, `--exclude=${SQUAWK_EXCLUDED.join(",")}`, ...files],
      { maxBuffer: 32 * 1024 * 1024 },
      (error, out, err) => {
        // squawk exits 1 when it has findings; anything else without JSON is a failure to run it
        if (out.trim().startsWith("[")) resolve(out);
        else reject(new ToolkitError({ code: "migrator.lint.squawk-failed", summary: `squawk could not run: ${err || String(error)}`, fix: "Reinstall (npm test installs squawk-cli)." }));
      },
    );
  });
  return (JSON.parse(stdout) as SquawkViolation[]).map((violation) => ({
    rule: violation.rule_name,
    source: "squawk",
    level: violation.level.toLowerCase() === "error" ? "error" : "warning",
    file: displayName(violation.file),
    line: violation.line + 1,
    message: violation.message,
    help: violation.help ?? undefined,
  }));
}
