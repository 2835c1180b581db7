import type { Node } from "libpg-query";

/**
 * Whether PostgreSQL refuses to run this statement inside a transaction block
 * ("cannot run inside a transaction block"), so a script holding it must run statement by statement.
 */
export function mustRunOutsideTransaction(node: Node): boolean {
  if ("IndexStmt" in node) return node.IndexStmt.concurrent === true;
  if ("DropStmt" in node) return node.DropStmt.concurrent === true;
  if ("ReindexStmt" in node) {
    return (node.ReindexStmt.params ?? []).some(
      (param) => "DefElem" in param && param.DefElem.defname === "concurrently",
    );
  }
  if ("AlterTableStmt" in node) {
    return (node.AlterTableStmt.cmds ?? []).some(
      (cmd) => "AlterTableCmd" in cmd && cmd.AlterTableCmd.subtype === "AT_DetachPartition" && isConcurrentDetach(cmd),
    );
  }
  return (
    "VacuumStmt" in node ||
    "CreatedbStmt" in node ||
    "DropdbStmt" in node ||
    "AlterSystemStmt" in node ||
    "CreateTableSpaceStmt" in node ||
    "DropTableSpaceStmt" in node
  );
}

function isConcurrentDetach(cmd: Node): boolean {
  if (!("AlterTableCmd" in cmd)) return false;
  const def = cmd.AlterTableCmd.def;
  return def !== undefined && "PartitionCmd" in def && def.PartitionCmd.concurrent === true;
}

/** Whether the statement opens, ends or manipulates a transaction itself. */
export function isTransactionControl(node: Node): boolean {
  return "TransactionStmt" in node;
}
