import { Command, InvalidArgumentError, Option } from "commander";
import { ExitCode, runCli } from "@soleflip/core";
import { dbPackagePaths } from "@soleflip/db";
import { acquireDatabase, findWorkspaceRoot } from "@soleflip/postgres";
import { rollbackMigrations } from "./apply/rollback.ts";
import { createCommand } from "./commands/create.ts";
import { lintCommand } from "./commands/lint.ts";
import { defaultApplyLogPath, migrateCommand } from "./commands/migrate.ts";
import { renderFindings } from "./lint/lint.ts";
import { embeddedSettings, readEnv } from "./env.ts";
import { renderEvent, renderRunText } from "./render/render-run.ts";

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
  root
    .command("create")
    .description("turn a change of the Prisma schema into a migration: online-safe SQL, down.sql, lint findings")
    .requiredOption("--name <name>", "migration name (lower case, digits, underscores)")
    .option("--offline-lint", "lint without reading the database's data", false)
    .option("--json", "print the result as JSON", false)
    .addOption(new Option("--migrations <dir>", "migrations folder (default: packages/db/prisma/migrations)"))
    .addOption(new Option("--schema <file>", "Prisma schema (default: packages/db/prisma/schema.prisma)"))
    .action(async (options: { name: string; offlineLint: boolean; json: boolean; migrations?: string; schema?: string }) => {
      const result = await createCommand(
        { name: options.name, migrationsDir: options.migrations, schemaPath: options.schema, lintWithDatabase: !options.offlineLint },
        { env: readEnv(), workspaceRoot: findWorkspaceRoot() },
      );
      if (options.json) process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
      else if (result.status === "no-changes") process.stdout.write("The schema and the migrations agree: no migration needed.\n");
      else process.stdout.write(`Created ${result.directory}\n  migration.sql and down.sql (online-safe)\n\n${renderFindings(result.findings)}\n`);
      setExitCode(result.exitCode);
    });

  root
    .command("lint")
    .description("lint migrations with squawk and our own rules (some read the database: table sizes, existing data)")
    .argument("[migrations...]", "migration names (default: all)")
    .option("--offline", "only the rules that need no database", false)
    .option("--large-table-rows <n>", "rows from which a blocking statement is reported", positiveInt("--large-table-rows"), 10_000)
    .option("--json", "print the findings as JSON", false)
    .addOption(new Option("--migrations-dir <dir>", "migrations folder (default: packages/db/prisma/migrations)"))
    .action(async (migrations: string[], options: { offline: boolean; largeTableRows: number; json: boolean; migrationsDir?: string }) => {
      const result = await lintCommand(
        { migrations, offline: options.offline, largeTableRows: options.largeTableRows, migrationsDir: options.migrationsDir },
        { env: readEnv(), workspaceRoot: findWorkspaceRoot() },
      );
      process.stdout.write(options.json ? `${JSON.stringify(result.findings, null, 2)}\n` : `${renderFindings(result.findings)}\n`);
      setExitCode(result.exitCode);
    });
  root
    .command("rollback")
    .description("run the down.sql of the named migrations (newest first, online-safe) and mark them rolled back")
    .argument("<migrations...>", "migration names")
    .addOption(new Option("--migrations <dir>", "migrations folder (default: packages/db/prisma/migrations)"))
    .action(async (names: string[], options: { migrations?: string }) => {
      const env = readEnv();
      const database = await acquireDatabase({ databaseUrl: env.DATABASE_URL, workspaceRoot: findWorkspaceRoot(), ...embeddedSettings(env) });
      try {
        const result = await rollbackMigrations({ databaseUrl: database.url, migrationsDir: options.migrations ?? dbPackagePaths.migrations, names });
        process.stdout.write(`${result.rolledBack.map((r) => `rolled back ${r.name} (${r.steps} steps, ${r.durationMs} ms)`).join("\n")}\n`);
      } finally {
        await database.release();
      }
      setExitCode(ExitCode.Ok);
    });
  return root;
}

process.exitCode = await runCli(async () => {
  let exitCode: number = ExitCode.Ok;
  await program((code) => (exitCode = code)).parseAsync(process.argv);
  return exitCode;
});
