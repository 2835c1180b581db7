import { CATALOGUE, CLASS_TEXT, type CatalogueRow } from "./catalogue.ts";

/** A statement shape (a regular expression of the catalogue) as readable SQL. */
function shape(pattern: RegExp): string {
  return pattern.source
    .replace(/\[\\s\\S\]\*/g, " … ")
    .replace(/\[\^\\n\]\*/g, "…")
    .replace(/\\d\+/g, "<time>")
    .replace(/\\n\+/g, " ")
    .replace(/\\s[+*]/g, " ")
    .replace(/\\n\??/g, " ")
    .replace(/\\([().*?+[\]|{}$^\\])/g, "$1")
    .replace(/\s+/g, " ")
    .trim();
}

function outcome(row: CatalogueRow): string {
  switch (row.class) {
    case "safe":
    case "online-safe":
      return "applies";
    case "expand-contract":
      return `${row.online?.phases.join(", ")}: each an ordinary migration with its down.sql; the contract runs in a later \`db:migrate\` than the expand${row.online?.gated ? `; the ${row.online.gated.gate}'s gate refuses it, changing nothing, while a row is out of step` : ""}`;
    case "hazard":
      return `applies once acknowledged: \`-- migrator:allow-hazard ${row.resolve?.acknowledge ?? "…"}: <reason>\``;
    case "impossible-with-data":
      return `stops before any change (${row.findings.filter((f) => f !== "ban-unacknowledged-hazard").map((f) => `[${f}](rules/${f}.md)`).join(", ")}); applies once the data is fixed`;
    case "needs-an-edit":
      return `written, exit 2 (${row.findings.map((f) => `\`${f}\``).join(", ")}: the statement, the error, the fix); applies once the author adds \`${row.resolve?.prepend ?? "…"}\` and \`create --check\` passes`;
    case "bad-input":
      return `exit 1 with \`${row.rejects?.code ?? "…"}\`; nothing written`;
  }
}

const cell = (text: string) => text.replaceAll("|", "\\|").replaceAll("\n", " ");

/** A lock sequence with runs folded: `A, B ×6, C`, so a table creating many objects stays readable. */
const lockSequence = (locks: readonly string[]): string => {
  const runs: { lock: string; count: number }[] = [];
  for (const lock of locks) {
    const last = runs.at(-1);
    if (last?.lock === lock) last.count += 1;
    else runs.push({ lock, count: 1 });
  }
  return runs.map((run) => (run.count > 1 ? `${run.lock} ×${run.count}` : run.lock)).join(", ");
};

/** docs/catalogue.md: every row of the acceptance catalogue with its class, locks and outcome. */
export function renderCatalogueDoc(): string {
  const lines = [
    "# What `db:migrate:create` and `db:migrate` do with each kind of change",
    "",
    "Generated from the acceptance catalogue (`packages/authoring/test/catalogue.ts`) by `pnpm docs:catalogue`;",
    "every row runs in the test suite on real PostgreSQL, with the shop example's demo data in every table:",
    "`create` → the file → `db:migrate` → `db:verify` (with drift) → `down.sql` → up again → a second",
    "`db:migrate` that changes nothing. The locks are those of the steps the runner plans, in order.",
    "",
    "Classes: **safe as generated** (Prisma's SQL is already harmless: catalog changes under a brief lock, taken",
    "with a 100 ms `lock_timeout` and retried); **rewritten online-safe** (written and applied as `NOT VALID` +",
    "`VALIDATE`, `CONCURRENTLY`, a validated `CHECK` before `SET NOT NULL`); **hazard** (the migration is written,",
    "`create` exits 2 with a [ban-unacknowledged-hazard](rules/ban-unacknowledged-hazard.md) finding that names",
    "the statement, the lock, the risk and the online alternative, and the runner refuses it until acknowledged);",
    "**expand/contract** (a change Prisma can only write as a drop and an add or as a rewrite, written as ordinary",
    "migrations that keep both application versions working: the expand adds the new form beside the old one,",
    "kept in step by a trigger and filled by a batched backfill; a switch, where there is one, puts it in place in",
    "one short transaction behind a gate; the contract drops the old form in a later `db:migrate` than the",
    "expand's; each row runs with both versions writing, a gate refusal and its fix, and every down.sql; `create",
    "--plain` writes Prisma's form instead); **impossible with the data present** (the read-only pre-flight counts the rows and names samples, and",
    "nothing changes until they are fixed). Where a row's answer is a judgement, the note says whose advice it",
    "follows (strong_migrations, squawk, GitLab's migration guide agree on each).",
    "",
  ];
  for (const group of [...new Set(CATALOGUE.map((row) => row.group))]) {
    lines.push(`## ${group}`, "", "| change | class | statements written | locks | outcome | note |", "| - | - | - | - | - | - |");
    for (const row of CATALOGUE.filter((r) => r.group === group)) {
      lines.push(`| ${cell(row.title)} | ${CLASS_TEXT[row.class]} | ${row.statements.map((s) => `\`${cell(shape(s))}\``).join("<br>") || "–"} | ${lockSequence(row.locks) || "none"} | ${cell(outcome(row))} | ${cell(row.note ?? "")} |`);
    }
    lines.push("");
  }
  return `${lines.join("\n").trimEnd()}\n`;
}
