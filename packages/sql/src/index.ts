export { ensureParserLoaded, parseStatements, parseStatementsSync, type Node, type ParsedStatement } from "./parse.ts";
export { isTransactionControl, mustRunOutsideTransaction } from "./transactional.ts";
export { readDirectives, type Directives } from "./directives.ts";
export { deparseNode, deparseWithRelation } from "./deparse.ts";
export { quoteIdent, quoteLiteral, quoteQualified } from "./quote.ts";
export type {
  A_Const,
  AlterTableCmd,
  AlterTableStmt,
  ColumnDef,
  Constraint,
  CreateEnumStmt,
  CreateStmt,
  DropStmt,
  IndexElem,
  IndexStmt,
  RangeVar,
  RenameStmt,
  TypeName,
  UpdateStmt,
} from "libpg-query";
