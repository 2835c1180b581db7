#!/usr/bin/env node
// Extracts a Prisma project's schema history from a local git clone into a replay corpus file: for every
// commit on the first-parent line that changed the schema, the schema's text (as a patch against the
// previous step) and the migrations the project's own team added between that step and the one before.
// Usage: node tooling/corpus/scripts/extract.mjs --git <dir> --schema <path in repo> --out <file.json>
//        [--name <project>] [--license <SPDX>] [--source <url>] [--max-steps n]
import { execFileSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { parseArgs } from "node:util";
import { createTwoFilesPatch } from "diff";

const { values } = parseArgs({
  options: {
    git: { type: "string" },
    schema: { type: "string" },
    out: { type: "string" },
    name: { type: "string" },
    license: { type: "string", default: "see the source repository" },
    source: { type: "string", default: "" },
    "max-steps": { type: "string" },
  },
});
if (!values.git || !values.schema || !values.out) {
  console.error("usage: scripts/extract.mjs --git <dir> --schema <path> --out <file.json> [--name n] [--license spdx] [--source url] [--max-steps n]");
  process.exit(1);
}
const git = (...args) => execFileSync("git", [`--git-dir=${values.git}`, ...args], { encoding: "utf8", maxBuffer: 1 << 28 });

// Commits that touched the schema, oldest first, with the schema's path at each (renames followed).
const log = git("log", "--first-parent", "--follow", "--name-status", "--format=C%x09%H%x09%ad%x09%s", "--date=short", "--", values.schema);
const commits = [];
for (const line of log.split("\n")) {
  if (line.startsWith("C\t")) {
    const [, hash, date, subject] = line.split("\t");
    commits.push({ hash, date, subject, path: undefined });
  } else if (line.trim() && commits.length > 0 && commits.at(-1).path === undefined) {
    const parts = line.split("\t");
    commits.at(-1).path = parts.at(-1);
  }
}
commits.reverse();

const migrationsAt = (hash, schemaPath) => {
  const dir = `${dirname(schemaPath)}/migrations`;
  let listing = "";
  try {
    listing = git("ls-tree", "-r", "--name-only", hash, `${dir}/`);
  } catch {
    return new Map();
  }
  const found = new Map();
  for (const file of listing.split("\n").filter(Boolean)) {
    const rest = file.slice(dir.length + 1);
    const [folder, base] = rest.split("/");
    if (base === "migration.sql") found.set(folder, file);
  }
  return found;
};

const steps = [];
let previousSchema = "";
let previousMigrations = new Map();
for (const commit of commits) {
  if (!commit.path) continue;
  let schema;
  try {
    schema = git("show", `${commit.hash}:${commit.path}`);
  } catch {
    continue; // deleted at this commit
  }
  if (schema === previousSchema) continue;
  const migrations = migrationsAt(commit.hash, commit.path);
  const added = [...migrations.keys()].filter((name) => !previousMigrations.has(name)).sort();
  // A project that squashed its history removes folders: the replay rebuilds the set at each step.
  const removed = [...previousMigrations.keys()].filter((name) => !migrations.has(name)).sort();
  steps.push({
    commit: commit.hash,
    date: commit.date,
    subject: commit.subject,
    schemaPath: commit.path,
    schemaPatch: createTwoFilesPatch("schema.prisma", "schema.prisma", previousSchema, schema, "", "", { context: 2 }),
    ownMigrations: added.map((name) => ({ name, sql: git("show", `${commit.hash}:${migrations.get(name)}`) })),
    removedMigrations: removed,
  });
  previousSchema = schema;
  previousMigrations = migrations;
  if (values["max-steps"] && steps.length >= Number(values["max-steps"])) break;
}
mkdirSync(dirname(values.out), { recursive: true });
writeFileSync(values.out, `${JSON.stringify({ name: values.name, source: values.source, license: values.license, steps }, null, 1)}\n`);
console.log(`${steps.length} steps from ${commits.length} commits → ${values.out}`);
