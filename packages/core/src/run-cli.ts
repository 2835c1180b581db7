import { isShuttingDown } from "./shutdown.ts";
import { ExitCode } from "./exit-codes.ts";
import { toToolkitError, type ToolkitError } from "./errors.ts";

/** A failure as two or three lines: what happened (with its code), how to fix it, and the cause. */
export function formatError(error: ToolkitError): string {
  const json = error.toJSON();
  return [`error [${json.code}]: ${json.summary}`, `  fix: ${json.fix}`, ...(json.cause && json.cause !== json.summary ? [`  cause: ${json.cause}`] : [])].join("\n");
}

interface ParseError {
  code: string;
  exitCode: number;
}

/** commander's own errors (unknown option, --help) carry a `commander.*` code and the exit code it wants. */
function isParseError(error: unknown): error is ParseError {
  const candidate = error as Partial<ParseError> | null;
  return typeof candidate?.code === "string" && candidate.code.startsWith("commander.") && typeof candidate.exitCode === "number";
}

/**
 * The shared tail of every CLI entry file: run the parsed command, and map what it threw to an exit
 * code: 0 for --help, 1 for bad arguments (commander already printed them) and for every tool failure,
 * printed as code, summary and fix.
 */
export async function runCli(main: () => Promise<number>, stderr: Pick<NodeJS.WriteStream, "write"> = process.stderr): Promise<number> {
  try {
    return await main();
  } catch (error) {
    if (isParseError(error)) return error.exitCode === 0 ? ExitCode.Ok : ExitCode.ToolFailed;
    // Work cut short by Ctrl-C fails as its connections close: that is the interruption, not a bug; the
    // shutdown has said so and exits 130.
    if (isShuttingDown()) return ExitCode.ToolFailed;
    stderr.write(`${formatError(toToolkitError(error))}\n`);
    return ExitCode.ToolFailed;
  }
}
