export { ensureParserLoaded, parseStatements, parseStatementsSync, type Node, type ParsedStatement } from "./parse.ts";
export { isTransactionControl, mustRunOutsideTransaction } from "./transactional.ts";
