import { execFile } from "node:child_process";
import { createRequire } from "node:module";
import { ToolkitError } from "@soleflip/core";
import type { Finding } from "./finding.ts";
import { SQUAWK_POLICY } from "./squawk-policy.ts";

/**
 * Squawk rules we switch off, and why:
 * - prefer-robust-stmts: our runner decides every operation from the live definitions, so a re-run after
 *   an interruption is safe without IF [NOT] EXISTS or a transaction around each statement;
 * - require-statement-timeout: validations and concurrent index builds must not be cut off; writers are
 *   protected by lock_timeout, which squawk's require-lock-timeout still checks.
 */
export const SQUAWK_EXCLUDED = ["prefer-robust-stmts", "require-statement-timeout"] as const;

/** The oldest PostgreSQL the toolkit supports (the version matrix runs 14 to 18). */
const PG_VERSION = "14.0";

interface SquawkViolation {
  file: string;
  line: number;
  level: string;
  message: string;
  help: string | null;
  rule_name: string;
}

/** Runs squawk (the npm package's own binary, offline) over files and returns its findings, weighed by SQUAWK_POLICY. */
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
  return (JSON.parse(stdout) as SquawkViolation[]).map((violation) => {
    const policy = SQUAWK_POLICY[violation.rule_name];
    return {
      rule: violation.rule_name,
      source: "squawk" as const,
      level: policy ? ("info" as const) : violation.level.toLowerCase() === "error" ? ("error" as const) : ("warning" as const),
      file: displayName(violation.file),
      path: violation.file,
      line: violation.line + 1,
      message: policy ? `${violation.message} (${policy.kind === "runner" ? "handled" : "not counted"}: ${policy.why})` : violation.message,
      help: violation.help ?? undefined,
    };
  });
}
