import { ExitCode } from "@soleflip/core";
import type { RunLog } from "./run-log.ts";

/** The run's outcome as an exit code: 0 done or nothing to do, 2 refused or found something (nothing changed), 1 a step failed. */
export function exitCodeFor(log: RunLog): ExitCode {
  switch (log.outcome) {
    case "applied":
    case "up-to-date":
    case "dry-run":
      return ExitCode.Ok;
    case "preflight-failed":
    case "structure-differs":
    case "refused":
      return ExitCode.Findings;
    case "failed":
    case "interrupted":
      return ExitCode.ToolFailed;
  }
}
