import type { ReferentialAction } from "@soleflip/catalog";
import { deparseNode, mustRunOutsideTransaction, readDirectives, type Node, type ParsedStatement } from "@soleflip/sql";
import type { Hazard, Operation, Raw, TableRef } from "./operations.ts";
import { quoteTable } from "./operations.ts";

type RangeVar = { schemaname?: string; relname?: string; alias?: { aliasname?: string } };
type StringNode = { String?: { sval?: string } };

/** What one ALTER TABLE sub-command or statement contributes before merging. */
type Fragment =
  | { type: "add-fk"; table: TableRef; name: string; columns: string[]; ref: TableRef; refColumns: string[]; onDelete: ReferentialAction; onUpdate: ReferentialAction; notValid: boolean }
  | { type: "add-not-null-check"; table: TableRef; name: string; column: string }
  | { type: "validate"; table: TableRef; name: string }
  | { type: "drop-constraint"; table: TableRef; name: string }
  | { type: "rename-constraint"; table: TableRef; from: string; to: string }
  | { type: "set-not-null"; table: TableRef; column: string }
  | { type: "drop-not-null"; table: TableRef; column: string };

interface Located<T> {
  statement: ParsedStatement;
  order: number;
  item: T;
}

export interface Recognised {
  operations: Operation[];
  /** Directive mistakes and statements that cannot be handled; they stop the run before any change. */
  problems: string[];
}

/**
 * Turns a migration's statements into operations that state an end result ("this foreign key exists with
 * these actions and is validated") rather than steps. Prisma's drop-and-add of a foreign key, the
 * online-safe swap (add NOT VALID, validate, drop, rename) and a plain ADD CONSTRAINT all become the same
 * ensure-foreign-key, so the runner can decide from the live definitions what is left to do.
 */
export function recogniseOperations(statements: readonly ParsedStatement[], source: string): Recognised {
  const problems: string[] = [];
  const fragments: Array<Located<Fragment>> = [];
  const singles: Array<Located<Operation>> = [];
  let order = 0;

  for (const statement of statements) {
    const directives = readDirectives(statement.comments);
    problems.push(...directives.problems.map((problem) => `${source}:${statement.line}: ${problem}`));
    const node = statement.node;
    if ("VariableSetStmt" in node) {
      singles.push({ statement, order: order++, item: { kind: "session-setting", id: `session-setting:${statement.index}`, statements: [statement] } });
      continue;
    }
    if (directives.repair) {
      if (!("UpdateStmt" in node)) {
        problems.push(`${source}:${statement.line}: a repair must be a single UPDATE statement`);
        continue;
      }
      singles.push({ statement, order: order++, item: repairOperation(statement, node.UpdateStmt as UpdateStmtShape, directives.repair) });
      continue;
    }
    if ("IndexStmt" in node) {
      singles.push({ statement, order: order++, item: indexOperation(statement, node) });
      continue;
    }
    const parts = alterFragments(node);
    if (parts) {
      for (const item of parts) fragments.push({ statement, order: order++, item });
      continue;
    }
    singles.push({ statement, order: order++, item: rawOperation([statement], statement.index) });
  }

  const merged = mergeFragments(fragments, source, problems);
  const ordered = [...singles, ...merged].sort((a, b) => a.order - b.order).map((located) => located.item);
  return { operations: groupRaw(ordered), problems };
}

function table(range: RangeVar | undefined): TableRef {
  return { schema: range?.schemaname ?? "public", table: range?.relname ?? "?" };
}

function names(list: unknown[] | undefined): string[] {
  return (list ?? []).map((item) => (item as StringNode).String?.sval ?? "?");
}

const sameTable = (a: TableRef, b: TableRef): boolean => a.schema === b.schema && a.table === b.table;

function alterFragments(node: Node): Fragment[] | undefined {
  if ("RenameStmt" in node) {
    const rename = node.RenameStmt as { renameType?: string; relation?: RangeVar; subname?: string; newname?: string };
    if (rename.renameType !== "OBJECT_TABCONSTRAINT") return undefined;
    return [{ type: "rename-constraint", table: table(rename.relation), from: rename.subname ?? "", to: rename.newname ?? "" }];
  }
  if (!("AlterTableStmt" in node)) return undefined;
  const alter = node.AlterTableStmt as { relation?: RangeVar; cmds?: Node[]; objtype?: string };
  if (alter.objtype !== "OBJECT_TABLE") return undefined;
  const target = table(alter.relation);
  const result: Fragment[] = [];
  for (const cmdNode of alter.cmds ?? []) {
    if (!("AlterTableCmd" in cmdNode)) return undefined;
    const cmd = cmdNode.AlterTableCmd as { subtype?: string; name?: string; def?: Node };
    switch (cmd.subtype) {
      case "AT_AddConstraint": {
        const constraint = cmd.def && "Constraint" in cmd.def ? (cmd.def.Constraint as ConstraintShape) : undefined;
        const fragment = constraint ? constraintFragment(target, constraint) : undefined;
        if (!fragment) return undefined;
        result.push(fragment);
        break;
      }
      case "AT_ValidateConstraint":
        result.push({ type: "validate", table: target, name: cmd.name ?? "" });
        break;
      case "AT_DropConstraint":
        result.push({ type: "drop-constraint", table: target, name: cmd.name ?? "" });
        break;
      case "AT_SetNotNull":
        result.push({ type: "set-not-null", table: target, column: cmd.name ?? "" });
        break;
      case "AT_DropNotNull":
        result.push({ type: "drop-not-null", table: target, column: cmd.name ?? "" });
        break;
      default:
        return undefined;
    }
  }
  return result;
}

interface ConstraintShape {
  contype?: string;
  conname?: string;
  pktable?: RangeVar;
  fk_attrs?: unknown[];
  pk_attrs?: unknown[];
  fk_del_action?: string;
  fk_upd_action?: string;
  raw_expr?: Node;
  skip_validation?: boolean;
}

function constraintFragment(target: TableRef, constraint: ConstraintShape): Fragment | undefined {
  if (constraint.contype === "CONSTR_FOREIGN" && constraint.conname) {
    return {
      type: "add-fk",
      table: target,
      name: constraint.conname,
      columns: names(constraint.fk_attrs),
      ref: table(constraint.pktable),
      refColumns: names(constraint.pk_attrs),
      onDelete: (constraint.fk_del_action ?? "a") as ReferentialAction,
      onUpdate: (constraint.fk_upd_action ?? "a") as ReferentialAction,
      notValid: constraint.skip_validation === true,
    };
  }
  if (constraint.contype === "CONSTR_CHECK" && constraint.conname && constraint.raw_expr && "NullTest" in constraint.raw_expr) {
    const test = constraint.raw_expr.NullTest as { nulltesttype?: string; arg?: Node };
    const column = test.arg && "ColumnRef" in test.arg ? names((test.arg.ColumnRef as { fields?: unknown[] }).fields) : [];
    if (test.nulltesttype === "IS_NOT_NULL" && column.length === 1 && column[0]) {
      return { type: "add-not-null-check", table: target, name: constraint.conname, column: column[0] };
    }
  }
  return undefined;
}

function mergeFragments(fragments: Array<Located<Fragment>>, source: string, problems: string[]): Array<Located<Operation>> {
  const used = new Set<Located<Fragment>>();
  const result: Array<Located<Operation>> = [];
  const of = <T extends Fragment["type"]>(type: T) =>
    fragments.filter((f): f is Located<Extract<Fragment, { type: T }>> => f.item.type === type);

  for (const add of of("add-fk")) {
    used.add(add);
    let finalName = add.item.name;
    const absorbed: Array<Located<Fragment>> = [add];
    for (const rename of of("rename-constraint")) {
      if (sameTable(rename.item.table, add.item.table) && rename.item.from === finalName) {
        finalName = rename.item.to;
        absorbed.push(rename);
      }
    }
    let validated = !add.item.notValid;
    for (const other of [...of("validate"), ...of("drop-constraint")]) {
      const matches = sameTable(other.item.table, add.item.table) && (other.item.name === add.item.name || other.item.name === finalName);
      if (!matches) continue;
      absorbed.push(other);
      if (other.item.type === "validate") validated = true;
    }
    for (const fragment of absorbed) used.add(fragment);
    const { table: t, columns, ref, refColumns, onDelete, onUpdate } = add.item;
    result.push({
      statement: add.statement,
      order: add.order,
      item: {
        kind: "ensure-foreign-key",
        id: `ensure-foreign-key:${t.schema}.${t.table}.${finalName}`,
        statements: unique(absorbed.map((f) => f.statement)),
        table: t, name: finalName, columns, ref, refColumns, onDelete, onUpdate, validated,
      },
    });
  }

  for (const set of of("set-not-null")) {
    used.add(set);
    const absorbed: Array<Located<Fragment>> = [set];
    for (const check of of("add-not-null-check")) {
      if (!sameTable(check.item.table, set.item.table) || check.item.column !== set.item.column) continue;
      absorbed.push(check);
      for (const other of [...of("validate"), ...of("drop-constraint")]) {
        if (sameTable(other.item.table, check.item.table) && other.item.name === check.item.name) absorbed.push(other);
      }
    }
    for (const fragment of absorbed) used.add(fragment);
    result.push({
      statement: set.statement,
      order: set.order,
      item: {
        kind: "ensure-not-null",
        id: `ensure-not-null:${set.item.table.schema}.${set.item.table.table}.${set.item.column}`,
        statements: unique(absorbed.map((f) => f.statement)),
        table: set.item.table,
        column: set.item.column,
      },
    });
  }

  for (const drop of of("drop-not-null")) {
    used.add(drop);
    result.push({
      statement: drop.statement,
      order: drop.order,
      item: {
        kind: "ensure-nullable",
        id: `ensure-nullable:${drop.item.table.schema}.${drop.item.table.table}.${drop.item.column}`,
        statements: [drop.statement],
        table: drop.item.table,
        column: drop.item.column,
      },
    });
  }

  for (const fragment of fragments) {
    if (used.has(fragment)) continue;
    const { item, statement } = fragment;
    switch (item.type) {
      case "validate":
        result.push({ statement, order: fragment.order, item: { kind: "validate-constraint", id: `validate-constraint:${item.table.schema}.${item.table.table}.${item.name}`, statements: [statement], table: item.table, name: item.name } });
        break;
      case "drop-constraint":
        result.push({ statement, order: fragment.order, item: { kind: "drop-constraint", id: `drop-constraint:${item.table.schema}.${item.table.table}.${item.name}`, statements: [statement], table: item.table, name: item.name } });
        break;
      default: {
        const sharesStatement = fragments.some((other) => other !== fragment && other.statement === statement);
        if (sharesStatement) {
          problems.push(`${source}:${statement.line}: cannot handle "${item.type}" combined with other changes in one ALTER TABLE; split the statement`);
        } else {
          result.push({ statement, order: fragment.order, item: rawOperation([statement], statement.index) });
        }
      }
    }
  }
  return result;
}

function unique<T>(items: T[]): T[] {
  return [...new Set(items)];
}

interface UpdateStmtShape {
  relation?: RangeVar;
  targetList?: Node[];
  fromClause?: Node[];
  whereClause?: Node;
}

function repairOperation(statement: ParsedStatement, update: UpdateStmtShape, repair: { id: string; why: string }): Operation {
  const target = table(update.relation);
  const alias = update.relation?.alias?.aliasname;
  const qualifier = alias ?? quoteTable(target);
  const from = [`${quoteTable(target)}${alias ? ` AS ${alias}` : ""}`, ...(update.fromClause ?? []).map((item) => deparseNode(item))];
  const where = update.whereClause ? ` WHERE ${deparseNode(update.whereClause)}` : "";
  const setsColumns = (update.targetList ?? []).map((item) => ("ResTarget" in item ? ((item.ResTarget as { name?: string }).name ?? "?") : "?"));
  return {
    kind: "repair",
    id: `repair:${repair.id}`,
    statements: [statement],
    repairId: repair.id,
    why: repair.why,
    table: target,
    setsColumns,
    sql: statement.text,
    affectedRowsSql: `SELECT ${qualifier}.ctid FROM ${from.join(", ")}${where}`,
  };
}

function indexOperation(statement: ParsedStatement, node: Node): Operation {
  const index = (node as { IndexStmt: IndexStmtShape }).IndexStmt;
  const target = table(index.relation);
  const name = index.idxname ?? "";
  const columnsSql = (index.indexParams ?? []).map((param) => {
    const elem = (param as { IndexElem?: { name?: string; expr?: Node } }).IndexElem;
    return elem?.name ?? (elem?.expr ? deparseNode(elem.expr) : "?");
  });
  return {
    kind: "ensure-index",
    id: `ensure-index:${target.schema}.${name}`,
    statements: [statement],
    table: target,
    name,
    unique: index.unique === true,
    node,
    columnsSql,
    predicateSql: index.whereClause ? deparseNode(index.whereClause) : null,
    createSql: concurrentCreateIndexSql(index, target),
  };
}

interface IndexStmtShape {
  idxname?: string;
  relation?: RangeVar;
  unique?: boolean;
  concurrent?: boolean;
  if_not_exists?: boolean;
  indexParams?: Node[];
  whereClause?: Node;
}

const RELATION_PLACEHOLDER = "migrator_relation_placeholder";

/**
 * The index statement made `CONCURRENTLY IF NOT EXISTS`, deparsed from its parse tree. The deparser does
 * not quote reserved relation names, so the relation is deparsed as a placeholder and put back quoted.
 */
export function concurrentCreateIndexSql(index: IndexStmtShape, target: TableRef): string {
  const copy = structuredClone(index);
  copy.concurrent = true;
  copy.if_not_exists = true;
  copy.relation = { relname: RELATION_PLACEHOLDER, inh: true, relpersistence: "p" } as RangeVar;
  return deparseNode({ IndexStmt: copy } as Node).replace(RELATION_PLACEHOLDER, quoteTable(target));
}

const RAW_HAZARDS: Array<[(node: Node) => boolean, Hazard]> = [
  [(node) => "DropStmt" in node && (node.DropStmt as { removeType?: string }).removeType === "OBJECT_TABLE", "DELETES_DATA"],
  [(node) => "TruncateStmt" in node || "DeleteStmt" in node, "DELETES_DATA"],
  [(node) => alterSubtypes(node).includes("AT_DropColumn"), "DELETES_DATA"],
  [(node) => alterSubtypes(node).includes("AT_AlterColumnType"), "REWRITES_TABLE"],
  [(node) => "UpdateStmt" in node, "BACKFILLS_DATA"],
];

function alterSubtypes(node: Node): string[] {
  if (!("AlterTableStmt" in node)) return [];
  return ((node.AlterTableStmt as { cmds?: Node[] }).cmds ?? []).map((cmd) =>
    "AlterTableCmd" in cmd ? ((cmd.AlterTableCmd as { subtype?: string }).subtype ?? "") : "",
  );
}

function statementTable(node: Node): TableRef | undefined {
  const holder = Object.values(node)[0] as { relation?: RangeVar } | undefined;
  return holder?.relation?.relname ? table(holder.relation) : undefined;
}

function rawOperation(statements: ParsedStatement[], index: number): Raw {
  const hazards = new Set<Hazard>();
  for (const statement of statements) {
    for (const [test, hazard] of RAW_HAZARDS) if (test(statement.node)) hazards.add(hazard);
  }
  const transactional = !statements.some((statement) => mustRunOutsideTransaction(statement.node));
  if (!transactional) hazards.add("NON_TRANSACTIONAL");
  const tables = statements.map((statement) => statementTable(statement.node)).filter((t): t is TableRef => t !== undefined);
  return { kind: "raw", id: `raw:${index}`, statements, transactional, hazards: [...hazards], tables };
}

/** Consecutive transactional raw statements form one all-or-nothing step. */
function groupRaw(operations: Operation[]): Operation[] {
  const result: Operation[] = [];
  for (const operation of operations) {
    const previous = result.at(-1);
    if (operation.kind === "raw" && operation.transactional && previous?.kind === "raw" && previous.transactional) {
      result[result.length - 1] = rawOperation([...previous.statements, ...operation.statements], previous.statements[0]?.index ?? 0);
      continue;
    }
    result.push(operation);
  }
  return result;
}
