/**
 * The one place exit codes are named. Every CLI in this repository maps its result through here.
 * 0: everything holds. 1: the tool itself failed (bad input, unreachable database, bug).
 * 2: the tool ran and found something (drift, lint findings, a failed check, a failed pre-flight).
 */
export const ExitCode = {
  Ok: 0,
  ToolFailed: 1,
  Findings: 2,
} as const;

export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];
