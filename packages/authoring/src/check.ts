import { existsSync } from "node:fs";
import { cp, mkdir, mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ToolkitError } from "@soleflip/core";
import { listLocalMigrations, type LocalMigrationFile } from "@soleflip/history";
import type { Finding } from "@soleflip/lint";
import type { PrismaProject } from "@soleflip/project";
import { readSchemaFiles } from "@soleflip/project";
import { preloadSchemaEngine, prismaDiff } from "@soleflip/schema-engine";
import { exitCodeOf, RECHECK, timer, type CreateResult } from "./create.ts";
import { copyOfHistory, historyTemplate } from "./history-template.ts";
import { tryMigration } from "./trial.ts";

export interface CheckOptions {
  project: PrismaProject;
  /** The migration to check (its directory name); default: the newest. */
  migration?: string | undefined;
  scratchAdminUrl: string;
  targetUrl?: string | undefined;
}

/**
 * The migration `--check` is about (the one named, or the newest) and the history it sits in. Bad input
 * (no such migration, an empty history) is refused here, before any server is reached.
 */
export async function migrationToCheck(migrationsDir: string, migration?: string): Promise<{ history: LocalMigrationFile[]; target: LocalMigrationFile }> {
  const history = await listLocalMigrations(migrationsDir);
  const target = migration ? history.find((m) => m.name === migration) : history.at(-1);
  if (!target) {
    throw migration
      ? new ToolkitError({ code: "migrator.check.unknown-migration", summary: `There is no migration ${migration} in ${migrationsDir}.`, fix: `Name one of: ${history.slice(-5).map((m) => m.name).join(", ") || "(none)"}.` })
      : new ToolkitError({ code: "migrator.check.no-migration", summary: `${migrationsDir} has no migration to check.`, fix: "Run `pnpm db:migrate:create --name <name>` first." });
  }
  return { history, target };
}

/**
 * `create --check`: the author edited a migration (`create` wrote it with findings, or they wrote SQL of
 * their own) and checks it as `create` checked it: applied to a copy of the structure the migrations
 * before it build, up to the schema, down.sql back to that structure exactly, linted against the
 * target's data. Reads the files and writes nothing.
 */
export async function checkMigration(options: CheckOptions): Promise<CreateResult> {
  preloadSchemaEngine();
  const timings: Record<string, number> = {};
  const time = timer(timings);
  const { project } = options;
  const { history, target } = await time("read history", () => migrationToCheck(project.migrationsDir, options.migration));
  const position = history.indexOf(target);
  const newest = position === history.length - 1;
  const before = history.slice(0, position);
  const directory = join(project.migrationsDir, target.name);
  const upSql = await readFile(join(directory, "migration.sql"), "utf8");
  const downSql = existsSync(join(directory, "down.sql")) ? await readFile(join(directory, "down.sql"), "utf8") : undefined;

  // The history before it, in a folder of its own: the template is keyed by those migrations only.
  const historyDir = await mkdtemp(join(tmpdir(), "sf-check-history-"));
  try {
    await mkdir(historyDir, { recursive: true });
    for (const migration of before) await cp(join(project.migrationsDir, migration.name), join(historyDir, migration.name), { recursive: true });
    const template = await time("history template", () => historyTemplate(options.scratchAdminUrl, historyDir, before));
    const { scratch, spareReady } = await time("clone", () => copyOfHistory(options.scratchAdminUrl, template.name, "sf_migrator_check"));
    try {
      const datamodels = await readSchemaFiles(project);
      const recheck = options.migration && !newest ? `${RECHECK} ${target.name}` : RECHECK;
      const tried = await tryMigration({
        scratch,
        historyDir,
        migrations: [{ name: target.name, upSql, downSql: downSql ?? "", writtenDir: directory }],
        targetUrl: options.targetUrl,
        // Only the newest migration must reach the schema: later ones carry the rest.
        ...(newest ? { remaining: () => prismaDiff({ url: scratch.url, datamodels, configDir: project.root, from: { tag: "database" }, to: { tag: "schema" }, script: true }) } : {}),
        recheckCommand: recheck,
        time,
      });
      const findings: Finding[] = tried.findings.filter((f) => downSql !== undefined || f.rule !== "require-restoring-down-sql");
      if (downSql === undefined) {
        findings.push({ rule: "require-restoring-down-sql", source: "soleflip", level: "info", file: `${target.name}/down.sql`, path: join(directory, "down.sql"), line: 1, message: "There is no down.sql: `pnpm db:rollback` cannot undo this migration.", help: "Write down.sql to undo it (create writes one for the migrations it generates)." });
      }
      return { status: "checked", directory, upSql, ...(downSql !== undefined ? { downSql } : {}), findings, trial: tried.trial, timingsMs: timings, exitCode: exitCodeOf(findings) };
    } finally {
      await scratch.drop().catch(() => undefined);
      await spareReady;
    }
  } finally {
    await rm(historyDir, { recursive: true, force: true });
  }
}
