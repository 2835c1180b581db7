export { ensureParserLoaded, parseStatements, parseStatementsSync, type Node, type ParsedStatement } from "./parse.ts";
export { isTransactionControl, mustRunOutsideTransaction } from "./transactional.ts";
export { readDirectives, type Directives } from "./directives.ts";
export { deparseNode } from "./deparse.ts";
