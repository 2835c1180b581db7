import { Command, CommanderError, InvalidArgumentError, Option } from "commander";
import { ExitCode, toToolkitError } from "@soleflip/core";
import { findWorkspaceRoot } from "@soleflip/postgres";
import { defaultApplyLogPath, migrateCommand } from "./commands/migrate.ts";
import { readEnv } from "./env.ts";
import { renderEvent, renderRunText } from "./render/render-run.ts";
import { renderError } from "./render/render-error.ts";

const positiveInt = (name: string) => (value: string): number => {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 0) throw new InvalidArgumentError(`${name} must be a non-negative integer.`);
  return parsed;
};

function program(setExitCode: (code: number) => void): Command {
  const root = new Command("soleflip-migrator")
    .description("Produce, check and apply SoleFlip's migrations online-safely.")
    .showHelpAfterError()
    .exitOverride();

  root
    .command("migrate")
    .description("bring the database (DATABASE_URL, or the embedded one) to the head of the migration history")
    .option("--dry-run", "print the plan and the pre-flight results; change nothing", false)
    .option("--json", "print the run log as JSON on stdout", false)
    .option("--verbose", "show every step with its SQL, lock and timings", false)
    .option("--lock-timeout <ms>", "lock_timeout for statements that block writes", positiveInt("--lock-timeout"), 100)
    .option("--max-retries <n>", "retries of a statement that timed out waiting for a lock", positiveInt("--max-retries"), 12)
    .option("--lock-wait <seconds>", "how long to wait for another run's migration lock", positiveInt("--lock-wait"), 60)
    .option("--apply-log <file>", "where to write the apply log (default: reports/apply-log.json)")
    .option("--no-apply-log", "write no apply log")
    .addOption(new Option("--migrations <dir>", "migrations folder (default: packages/db/prisma/migrations)"))
    .action(async (options: { dryRun: boolean; json: boolean; lockTimeout: number; maxRetries: number; lockWait: number; applyLog: string | boolean; migrations?: string; verbose: boolean }) => {
      const env = readEnv();
      const workspaceRoot = findWorkspaceRoot();
      const say = (line: string | undefined) => {
        if (line !== undefined) process.stderr.write(`${line}\n`);
      };
      const result = await migrateCommand(
        {
          dryRun: options.dryRun,
          lockTimeoutMs: options.lockTimeout,
          maxRetries: options.maxRetries,
          lockWaitSeconds: options.lockWait,
          applyLog: options.applyLog === false ? false : typeof options.applyLog === "string" ? options.applyLog : defaultApplyLogPath(workspaceRoot),
          migrationsDir: options.migrations,
        },
        { env, workspaceRoot, onEvent: (event) => say(renderEvent(event)), onProgress: say },
      );
      process.stdout.write(options.json ? `${JSON.stringify(result.log, null, 2)}\n` : `${renderRunText(result.log, { applyLogPath: result.applyLogPath, verbose: options.verbose })}\n`);
      setExitCode(result.exitCode);
    });
  return root;
}

async function main(argv: string[]): Promise<number> {
  let exitCode: number = ExitCode.Ok;
  try {
    await program((code) => (exitCode = code)).parseAsync(argv);
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      return error.exitCode === 0 ? ExitCode.Ok : ExitCode.ToolFailed;
    }
    process.stderr.write(`${renderError(toToolkitError(error))}\n`);
    return ExitCode.ToolFailed;
  }
}

process.exitCode = await main(process.argv);
