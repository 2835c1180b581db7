import { deparseNode, quoteIdent, quoteLiteral, quoteQualified, type AlterTableCmd } from "@soleflip/sql";
import { formatTypeName, parseFormattedType, typeChangeNarrows, typeChangeRewrites } from "../column-types.ts";
import type { Fragment } from "../fragments.ts";
import { tableName, type AlterColumnType, type ColumnTypeChange } from "../operations.ts";
import { countedCheck, rowsText } from "../preflight-query.ts";
import { alterTableSql, findColumn, namesOf, quoteTable, rowKeySql, tableExists } from "../sql-parts.ts";
import type { OperationModule, PreflightResult, Step } from "../types.ts";

/** pg_input_is_valid (PostgreSQL 16+) tells, per value, whether the new type accepts it. */
const INPUT_IS_VALID_SINCE = 160_000;

/** Serial pseudo-types: valid in CREATE TABLE and ADD COLUMN only; in ALTER COLUMN TYPE they are the integer types. */
const SERIAL_TYPES: Record<string, { name: string; display: string }> = {
  smallserial: { name: "int2", display: "smallint" },
  serial2: { name: "int2", display: "smallint" },
  serial: { name: "int4", display: "integer" },
  serial4: { name: "int4", display: "integer" },
  bigserial: { name: "int8", display: "bigint" },
  serial8: { name: "int8", display: "bigint" },
};

/** Subcommands that travel with a type change in one ALTER TABLE: the keys and defaults around the column. */
const COMPANIONS = new Set(["AT_DropConstraint", "AT_AddConstraint", "AT_ColumnDefault", "AT_AlterColumnType"]);

/**
 * A column's type changes. Raising a varchar/numeric/timestamp limit, varchar to text and cidr to inet
 * rewrite nothing (a catalog change under a brief ACCESS EXCLUSIVE lock); every other change rewrites the
 * table under ACCESS EXCLUSIVE (reads and writes wait for the whole rewrite): a hazard that needs an
 * acknowledgement, with expand-and-contract as the online alternative. Values the new type would reject
 * are counted before any change. An ALTER TABLE that drops and re-adds a key around the change (Prisma's
 * form for a key column) stays one statement: splitting it would leave the table without its key between
 * steps for nothing, since the rewrite locks it anyway.
 */
export const alterColumnType: OperationModule<"alter-column-type"> = {
  kind: "alter-column-type",
  summary: "ALTER COLUMN TYPE: a catalog change when PostgreSQL can skip the rewrite, otherwise a table rewrite that needs acknowledgement.",
  recognise(fragments) {
    const byStatement = new Map<Fragment["statement"], Array<Fragment & { alter: NonNullable<Fragment["alter"]> }>>();
    for (const fragment of fragments.alterCommands("AT_AlterColumnType")) byStatement.set(fragment.statement, [...(byStatement.get(fragment.statement) ?? []), fragment]);
    for (const [statement, typeChanges] of byStatement) {
      const first = typeChanges[0];
      if (!first) continue;
      const all = fragments.all.filter((f) => f.statement === statement);
      const companions = fragments.available().filter((f) => f.statement === statement && f.alter && COMPANIONS.has(f.alter.cmd.subtype ?? ""));
      const together = companions.length === all.length && all.length > typeChanges.length;
      const written = new Map(typeChanges.map((fragment) => [fragment, withoutSerial(fragment.alter.cmd)]));
      const changes = typeChanges.map((fragment) => (written.get(fragment) as ReturnType<typeof withoutSerial>).change);
      const cmdOf = (fragment: (typeof companions)[number]) => written.get(fragment as (typeof typeChanges)[number])?.cmd ?? (fragment.alter as NonNullable<Fragment["alter"]>).cmd;
      if (together) {
        const anySerial = changes.some((change) => change.sequenceType);
        const sql = anySerial ? alterTableSql(first.alter.table, companions.map(cmdOf)) : statement.text;
        fragments.claim(companions, { kind: "alter-column-type", id: idOf(first.alter.table, changes), statements: [statement], table: first.alter.table, changes, sql }, first);
        continue;
      }
      for (const [index, fragment] of typeChanges.entries()) {
        const change = changes[index] as ColumnTypeChange;
        fragments.claim([fragment], { kind: "alter-column-type", id: idOf(fragment.alter.table, [change]), statements: [statement], table: fragment.alter.table, changes: [change], sql: alterTableSql(fragment.alter.table, cmdOf(fragment)) });
      }
    }
  },
  plan(operation, { live }) {
    const current = operation.changes.map((change) => ({ change, type: findColumn(live, operation.table, change.column)?.type }));
    if (current.every(({ change, type }) => type !== undefined && change.formattedType !== undefined && type === change.formattedType)) {
      return { operation, status: "present", found: `${operation.changes.map((c) => c.column).join(", ")} already ${operation.changes.map((c) => c.formattedType).join(", ")}`, steps: [] };
    }
    const rewrites = current.some(({ change, type }) => typeChangeRewrites(type, change.formattedType, change.usingSql !== null));
    // The sequence a serial column owns keeps counting in its old type unless told: an Int → BigInt key
    // would still stop at 2,147,483,647. ALTER SEQUENCE … AS is a catalog change.
    const sequences = operation.changes.flatMap((change) => {
      const sequence = findColumn(live, operation.table, change.column)?.sequence;
      return change.sequenceType && sequence && sequence.type !== change.sequenceType
        ? [{ change, sql: `ALTER SEQUENCE ${quoteQualified(sequence.schema, sequence.name)} AS ${change.sequenceType}` }]
        : [];
    });
    const sequenceText = sequences.length > 0 ? `; its sequence counts in ${sequences.map((s) => s.change.sequenceType).join(", ")}` : "";
    const step: Step = {
      description: `${current.map(({ change, type }) => `${change.column}: ${type ?? "?"} → ${change.formattedType ?? change.typeSql}`).join("; ")}${rewrites ? " (rewrites the table)" : " (catalog only, no rewrite)"}${sequenceText}`,
      sql: [operation.sql, ...sequences.map((s) => s.sql)],
      transactional: true,
      lock: "ACCESS EXCLUSIVE",
      tables: [tableName(operation.table)],
      hazards: rewrites ? ["ACQUIRES_ACCESS_EXCLUSIVE_LOCK", "REWRITES_TABLE"] : ["ACQUIRES_ACCESS_EXCLUSIVE_LOCK"],
    };
    return { operation, status: "absent", found: current.map(({ change, type }) => `${change.column} is ${type ?? "not found"}`).join("; "), steps: [step] };
  },
  async preflight(operation, { client, live, migration, serverVersionNum }) {
    const results: PreflightResult[] = [];
    for (const change of operation.changes) {
      const current = findColumn(live, operation.table, change.column);
      if (!current || !tableExists(live, operation.table) || !typeChangeNarrows(current.type, change.formattedType)) continue;
      const base = { id: `does-not-fit:${tableName(operation.table)}.${change.column}`, migration, operationId: operation.id, check: "does-not-fit" as const, table: tableName(operation.table), columns: [change.column] };
      const column = `t.${quoteIdent(change.column)}`;
      let predicate: string | undefined;
      if (change.usingSql === null && change.formattedType) {
        predicate = serverVersionNum >= INPUT_IS_VALID_SINCE ? `NOT pg_input_is_valid(${column}::text, ${quoteLiteral(change.formattedType)})` : legacyFitPredicate(column, parseFormattedType(change.formattedType));
      }
      if (!predicate) {
        results.push({ ...base, count: 0, sampleKeys: [], passed: true, sql: "", message: `values are converted ${change.usingSql ? `with USING ${change.usingSql}` : `to ${change.typeSql}`}; a value that does not convert makes the statement fail as a whole, changing nothing` });
        continue;
      }
      results.push(
        await countedCheck(client, base, `FROM ${quoteTable(operation.table)} AS t WHERE ${column} IS NOT NULL AND ${predicate}`, rowKeySql(live, operation.table, "t"), (count) =>
          count === 0
            ? `every ${change.column} fits ${change.formattedType}`
            : `${rowsText(count)} of ${tableName(operation.table)} hold a ${change.column} that ${change.formattedType} does not accept; the change cannot apply until they are fixed (a declared repair)`,
        ),
      );
    }
    return results;
  },
  managedObjects: (operation) => operation.changes.map((change) => ({ kind: "column" as const, name: `${tableName(operation.table)}.${change.column}` })),
  alternative: (operation) =>
    `expand and contract: add a new column of type ${operation.changes[0]?.formattedType ?? operation.changes[0]?.typeSql}, fill it with a declared repair (run in batches) while the application writes both, switch reads to it, and drop ${operation.changes[0]?.column} in a later migration`,
};

function idOf(table: AlterColumnType["table"], changes: readonly ColumnTypeChange[]): string {
  return `alter-column-type:${tableName(table)}.${changes.map((c) => c.column).join("+")}`;
}

/** The change one ALTER COLUMN TYPE makes, with a serial pseudo-type replaced by its integer type. */
function withoutSerial(cmd: AlterTableCmd): { cmd: AlterTableCmd; change: ColumnTypeChange } {
  const columnDef = cmd.def && "ColumnDef" in cmd.def ? cmd.def.ColumnDef : undefined;
  const names = namesOf(columnDef?.typeName?.names);
  const serial = names.length === 1 || (names.length === 2 && names[0] === "pg_catalog") ? SERIAL_TYPES[names.at(-1) ?? ""] : undefined;
  const typeName = serial && columnDef?.typeName ? { ...columnDef.typeName, names: [{ String: { sval: "pg_catalog" } }, { String: { sval: serial.name } }] } : columnDef?.typeName;
  const rewritten: AlterTableCmd = serial && columnDef ? { ...cmd, def: { ColumnDef: { ...columnDef, typeName } } } : cmd;
  const change: ColumnTypeChange = {
    column: cmd.name ?? "",
    typeSql: typeName ? deparseNode({ TypeName: typeName }) : "?",
    formattedType: formatTypeName(typeName),
    usingSql: columnDef?.raw_default ? deparseNode(columnDef.raw_default) : null,
  };
  if (serial) change.sequenceType = serial.display;
  return { cmd: rewritten, change };
}

/** Before PostgreSQL 16: the limits of the common types, as predicates on the old values. */
function legacyFitPredicate(column: string, target: ReturnType<typeof parseFormattedType>): string | undefined {
  const [first, second] = target.mods;
  if (["character varying", "character"].includes(target.base) && first !== undefined) return `char_length(${column}::text) > ${first}`;
  if (target.base === "numeric" && first !== undefined) return `abs(${column}::numeric) >= 10::numeric ^ ${first - (second ?? 0)}`;
  if (target.base === "integer") return `${column}::numeric NOT BETWEEN -2147483648 AND 2147483647`;
  if (target.base === "smallint") return `${column}::numeric NOT BETWEEN -32768 AND 32767`;
  return undefined;
}
