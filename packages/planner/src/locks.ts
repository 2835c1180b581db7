import type { AlterTableCmd, Node } from "@soleflip/sql";
import { namesOf, tableOf, UNQUALIFIED_SCHEMA } from "./sql-parts.ts";
import { strongestLock, type LockMode, type TableRef } from "./types.ts";

export interface TableLock {
  table: TableRef;
  lock: LockMode;
}

/** The lock one ALTER TABLE subcommand takes on its table, from PostgreSQL's ALTER TABLE documentation. */
export function alterCommandLock(cmd: AlterTableCmd): LockMode {
  switch (cmd.subtype) {
    case "AT_ValidateConstraint":
    case "AT_SetStatistics":
    case "AT_ClusterOn":
    case "AT_DropCluster":
    case "AT_AttachPartition":
      return "SHARE UPDATE EXCLUSIVE";
    case "AT_DetachPartition":
      return cmd.def && "PartitionCmd" in cmd.def && cmd.def.PartitionCmd.concurrent ? "SHARE UPDATE EXCLUSIVE" : "ACCESS EXCLUSIVE";
    case "AT_AddConstraint": {
      const constraint = cmd.def && "Constraint" in cmd.def ? cmd.def.Constraint : undefined;
      return constraint?.contype === "CONSTR_FOREIGN" ? "SHARE ROW EXCLUSIVE" : "ACCESS EXCLUSIVE";
    }
    default:
      return "ACCESS EXCLUSIVE";
  }
}

/**
 * The table locks a statement takes when PostgreSQL runs it as written: the prediction the plan shows
 * and the observed rehearsal compares against. Sequences are listed (ALTER SEQUENCE blocks nextval
 * until it commits); objects that are not relations (types, schemas) are not.
 */
export function statementLocks(node: Node): TableLock[] {
  if ("AlterTableStmt" in node) {
    const alter = node.AlterTableStmt;
    const table = tableOf(alter.relation);
    if (alter.objtype === "OBJECT_INDEX") return [];
    const cmds = (alter.cmds ?? []).flatMap((cmd) => ("AlterTableCmd" in cmd ? [cmd.AlterTableCmd] : []));
    const locks: TableLock[] = [{ table, lock: strongestLock(cmds.map(alterCommandLock)) }];
    for (const cmd of cmds) {
      const constraint = cmd.def && "Constraint" in cmd.def ? cmd.def.Constraint : undefined;
      if (constraint?.contype === "CONSTR_FOREIGN" && constraint.pktable) locks.push({ table: tableOf(constraint.pktable), lock: "SHARE ROW EXCLUSIVE" });
    }
    return locks;
  }
  if ("CreateStmt" in node) {
    const create = node.CreateStmt;
    const locks: TableLock[] = [{ table: tableOf(create.relation), lock: "ACCESS EXCLUSIVE" }];
    for (const element of create.tableElts ?? []) {
      const constraints = "Constraint" in element ? [element.Constraint] : "ColumnDef" in element ? (element.ColumnDef.constraints ?? []).flatMap((c) => ("Constraint" in c ? [c.Constraint] : [])) : [];
      for (const constraint of constraints) {
        if (constraint.contype === "CONSTR_FOREIGN" && constraint.pktable) locks.push({ table: tableOf(constraint.pktable), lock: "SHARE ROW EXCLUSIVE" });
      }
    }
    for (const parent of create.inhRelations ?? []) if ("RangeVar" in parent) locks.push({ table: tableOf(parent.RangeVar), lock: "SHARE UPDATE EXCLUSIVE" });
    return locks;
  }
  if ("IndexStmt" in node) return [{ table: tableOf(node.IndexStmt.relation), lock: node.IndexStmt.concurrent ? "SHARE UPDATE EXCLUSIVE" : "SHARE" }];
  if ("DropStmt" in node && (node.DropStmt.removeType === "OBJECT_TABLE" || node.DropStmt.removeType === "OBJECT_VIEW")) {
    return (node.DropStmt.objects ?? []).map((object) => ({ table: qualifiedName(object), lock: "ACCESS EXCLUSIVE" as const }));
  }
  // DROP TRIGGER t ON table: the table's name is the trigger's qualified name without its last part.
  if ("DropStmt" in node && node.DropStmt.removeType === "OBJECT_TRIGGER") {
    return (node.DropStmt.objects ?? []).flatMap((object) => {
      const parts = "List" in object ? namesOf(object.List.items) : [];
      const table = parts.slice(0, -1);
      if (table.length === 0) return [];
      return [{ table: table.length > 1 ? { schema: table[0] ?? UNQUALIFIED_SCHEMA, table: table[1] ?? "?" } : { schema: UNQUALIFIED_SCHEMA, table: table[0] ?? "?", implicit: true }, lock: "ACCESS EXCLUSIVE" as const }];
    });
  }
  if ("RenameStmt" in node) {
    const rename = node.RenameStmt;
    if (!rename.relation) return [];
    return [{ table: tableOf(rename.relation), lock: rename.renameType === "OBJECT_INDEX" ? "SHARE UPDATE EXCLUSIVE" : "ACCESS EXCLUSIVE" }];
  }
  if ("ClusterStmt" in node && node.ClusterStmt.relation) return [{ table: tableOf(node.ClusterStmt.relation), lock: "ACCESS EXCLUSIVE" }];
  if ("ReindexStmt" in node && node.ReindexStmt.kind === "REINDEX_OBJECT_TABLE" && node.ReindexStmt.relation) {
    const concurrently = (node.ReindexStmt.params ?? []).some((param) => "DefElem" in param && param.DefElem.defname === "concurrently");
    return [{ table: tableOf(node.ReindexStmt.relation), lock: concurrently ? "SHARE UPDATE EXCLUSIVE" : "SHARE" }];
  }
  if ("CreateTrigStmt" in node) return [{ table: tableOf(node.CreateTrigStmt.relation), lock: "SHARE ROW EXCLUSIVE" }];
  if ("AlterSeqStmt" in node) return [{ table: tableOf(node.AlterSeqStmt.sequence), lock: "SHARE ROW EXCLUSIVE" }];
  if ("UpdateStmt" in node) return [{ table: tableOf(node.UpdateStmt.relation), lock: "ROW EXCLUSIVE" }];
  if ("DeleteStmt" in node) return [{ table: tableOf(node.DeleteStmt.relation), lock: "ROW EXCLUSIVE" }];
  if ("InsertStmt" in node) return [{ table: tableOf(node.InsertStmt.relation), lock: "ROW EXCLUSIVE" }];
  if ("TruncateStmt" in node) {
    return (node.TruncateStmt.relations ?? []).flatMap((relation) => ("RangeVar" in relation ? [{ table: tableOf(relation.RangeVar), lock: "ACCESS EXCLUSIVE" as const }] : []));
  }
  if ("VacuumStmt" in node) {
    const full = (node.VacuumStmt.options ?? []).some((option) => "DefElem" in option && option.DefElem.defname === "full");
    return (node.VacuumStmt.rels ?? []).flatMap((rel) =>
      "VacuumRelation" in rel && rel.VacuumRelation.relation ? [{ table: tableOf(rel.VacuumRelation.relation), lock: full ? ("ACCESS EXCLUSIVE" as const) : ("SHARE UPDATE EXCLUSIVE" as const) }] : [],
    );
  }
  if ("CommentStmt" in node && node.CommentStmt.objtype === "OBJECT_TABLE" && node.CommentStmt.object) {
    return [{ table: qualifiedName(node.CommentStmt.object), lock: "SHARE UPDATE EXCLUSIVE" }];
  }
  return [];
}

function qualifiedName(object: Node): TableRef {
  const parts = "List" in object ? namesOf(object.List.items) : [];
  return parts.length > 1 ? { schema: parts[0] ?? UNQUALIFIED_SCHEMA, table: parts[1] ?? "?" } : { schema: UNQUALIFIED_SCHEMA, table: parts[0] ?? "?" };
}
