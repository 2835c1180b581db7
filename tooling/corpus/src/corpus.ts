import { readFileSync } from "node:fs";
import { applyPatch } from "diff";

/** One commit of a project's history that changed its Prisma schema, as `scripts/extract.mjs` stores it. */
interface StoredStep {
  commit: string;
  date: string;
  subject: string;
  schemaPath: string;
  /** The schema's text as a patch against the previous step's (the first against nothing). */
  schemaPatch: string;
  /** The migration folders the project's own team added with this commit. */
  ownMigrations: Array<{ name: string; sql: string }>;
  /** The folders it removed (a squashed history). */
  removedMigrations: string[];
}

interface StoredProject {
  name: string;
  source: string;
  license: string;
  steps: StoredStep[];
}

/** A step, resolved: the schema at the commit and the project's own migration set there. */
export interface CorpusStep {
  /** 0-based position in the project's schema history. */
  index: number;
  commit: string;
  date: string;
  subject: string;
  schema: string;
  /** The datasource's provider at this step (`postgresql` for the steps the replay runs). */
  provider: string;
  /** Every migration folder of the project at this commit, by name, oldest first. */
  theirMigrations: Array<{ name: string; sql: string }>;
  /** The names of those the commit added: the change the project's team shipped with this schema. */
  theirAdded: string[];
}

export interface CorpusProject {
  name: string;
  source: string;
  license: string;
  steps: CorpusStep[];
}

export const PROJECTS = ["langfuse", "hoppscotch", "umami"] as const;
export type ProjectName = (typeof PROJECTS)[number];

/** A project of `projects/`, its patches applied in order. */
export function loadProject(name: string): CorpusProject {
  const stored = JSON.parse(readFileSync(new URL(`../projects/${name}.json`, import.meta.url), "utf8")) as StoredProject;
  let schema = "";
  const migrations = new Map<string, string>();
  const steps = stored.steps.map((step, index): CorpusStep => {
    const next = applyPatch(schema, step.schemaPatch);
    if (next === false) throw new Error(`${name} step ${index} (${step.commit}): the schema patch does not apply; re-extract the project`);
    schema = next;
    for (const removed of step.removedMigrations) migrations.delete(removed);
    for (const added of step.ownMigrations) migrations.set(added.name, added.sql);
    return {
      index,
      commit: step.commit,
      date: step.date,
      subject: step.subject,
      schema,
      provider: providerOf(schema),
      theirMigrations: [...migrations].sort(([a], [b]) => a.localeCompare(b)).map(([migration, sql]) => ({ name: migration, sql })),
      theirAdded: step.ownMigrations.map((m) => m.name),
    };
  });
  return { name: stored.name, source: stored.source, license: stored.license, steps };
}

/** The datasource's provider: the replay runs the PostgreSQL steps (an early SQLite prototype is skipped). */
function providerOf(schema: string): string {
  const datasource = /datasource\s+\w+\s*\{([^}]*)\}/.exec(schema)?.[1] ?? "";
  return /^\s*provider\s*=\s*"([^"]+)"/m.exec(datasource)?.[1] ?? "unknown";
}
