export { ExitCode } from "./exit-codes.ts";
export { ToolkitError, describeCause, isToolkitError, toToolkitError } from "./errors.ts";
export { redactConnectionString, redactSecrets, registerSecret } from "./redact.ts";
export { formatError, runCli } from "./run-cli.ts";
export { parseEnv } from "./env.ts";
export { formatDuration, parseDuration } from "./duration.ts";
export { isShuttingDown, onShutdown } from "./shutdown.ts";
export { KEPT_RUNS, lazyRunFolder, openRunFolder, outputDir, type LazyRunFolder, type OutputDir, type RunFolder } from "./run-folder.ts";
