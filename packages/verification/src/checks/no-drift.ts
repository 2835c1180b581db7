import { relative } from "node:path";
import { readSchemaFiles } from "@soleflip/project";
import { prismaDiff } from "@soleflip/schema-engine";
import { parseStatements } from "@soleflip/sql";
import type { ContractWindow } from "../window.ts";
import type { Check, CheckFinding } from "./check.ts";

/**
 * Drift as Prisma sees it, with Prisma's own engine: the database → the schema (introspection, over a
 * read-only session), and the migrations → the schema (replayed into a shadow database on the scratch
 * server, never on the verified database's server).
 */
export const noDrift: Check = {
  id: "no-drift",
  title: "Drift (database vs schema, migrations vs schema, by Prisma's engine)",
  async run({ databaseUrl, scratchAdminUrl, project, window }) {
    const datamodels = await readSchemaFiles(project);
    const findings: CheckFinding[] = [];
    const database = await prismaDiff({ url: databaseUrl, datamodels, configDir: project.root, from: { tag: "database" }, to: { tag: "schema" }, script: window !== undefined, readOnly: true });
    // In an expand's window, Prisma's way to the schema may only drop what the waiting contract drops.
    const beyond = database.differs && window ? await beyondWindow(database.text, window) : database.text;
    if (database.differs && beyond) findings.push({ subject: "database → schema", expected: "no difference", actual: beyond, message: `the database differs from the schema:\n${beyond}` });
    const history = await prismaDiff({ url: scratchAdminUrl, datamodels, configDir: project.root, from: { tag: "migrations", dir: project.migrationsDir }, to: { tag: "schema" }, script: false });
    if (history.differs) findings.push({ subject: "migrations → schema", expected: "no difference", actual: history.text, message: `the migrations do not produce the schema:\n${history.text}` });
    return {
      status: findings.length === 0 ? "pass" : "fail",
      summary:
        findings.length > 0
          ? `${findings.length} drift(s) found.`
          : database.differs
            ? `No drift beyond the expand's window: the database holds what ${window?.waiting.map((w) => w.contract).join(", ")} will drop (${[...(window?.columns ?? [])].join(", ")}), and the migrations match the schema.`
            : "No drift: the database and the migrations both match the schema (Prisma's diff is empty).",
      findings,
      sql: [],
      // Prisma's CLI makes the same two comparisons; paths relative to the project's folder, so the lines run as written there.
      commands: [
        `npx prisma migrate diff --from-config-datasource --to-schema ${shellWord(relative(project.root, project.schemaPath))} --exit-code`,
        `npx prisma migrate diff --from-migrations ${shellWord(relative(project.root, project.migrationsDir))} --to-schema ${shellWord(relative(project.root, project.schemaPath))} --exit-code`,
      ],
      compared: 2,
    };
  },
};

/** The statements of Prisma's SQL that do more than drop what the window keeps (empty: none). */
async function beyondWindow(sql: string, window: ContractWindow): Promise<string> {
  const statements = await parseStatements(sql);
  const kept = (statement: (typeof statements)[number]) => {
    const node = statement.node;
    if ("AlterTableStmt" in node) {
      const relation = node.AlterTableStmt.relation;
      const table = `${relation?.schemaname ?? "public"}.${relation?.relname ?? ""}`;
      return (node.AlterTableStmt.cmds ?? []).every((cmd) => "AlterTableCmd" in cmd && cmd.AlterTableCmd.subtype === "AT_DropColumn" && window.columns.has(`${table}.${cmd.AlterTableCmd.name ?? ""}`));
    }
    if ("DropStmt" in node && node.DropStmt.removeType === "OBJECT_INDEX") {
      return (node.DropStmt.objects ?? []).every((object) => {
        const names = "List" in object ? (object.List.items ?? []).map((item) => ("String" in item ? (item.String.sval ?? "") : "")) : [];
        return window.indexes.has(names.length > 1 ? names.join(".") : `public.${names[0] ?? ""}`);
      });
    }
    return false;
  };
  return statements.filter((statement) => !kept(statement)).map((statement) => `${statement.text};`).join("\n");
}

/** A path as one shell word: as it is when it is plain, in single quotes otherwise. */
function shellWord(path: string): string {
  return /^[\w@%+=:,./-]+$/.test(path) ? path : `'${path.replaceAll("'", "'\\''")}'`;
}
