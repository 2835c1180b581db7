import { mustRunOutsideTransaction, readDirectives, type AlterTableCmd, type Node, type ParsedStatement } from "@soleflip/sql";
import type { Operation } from "./operations.ts";
import { tableOf } from "./sql-parts.ts";
import type { TableRef } from "./types.ts";

/**
 * A piece of a migration an operation can claim: a whole statement, or one subcommand of an
 * ALTER TABLE (Prisma often writes several changes in one ALTER TABLE).
 */
export interface Fragment {
  statement: ParsedStatement;
  /** statement index × 1000 + subcommand index: operations keep the order of what they claim first. */
  position: number;
  /** Set for ALTER TABLE subcommands. */
  alter?: { table: TableRef; cmd: AlterTableCmd };
  /** Index of the explicit BEGIN … COMMIT block the statement is in, if any. */
  block?: number;
}

/**
 * The fragments of one migration and who claimed them. Operation modules claim fragments in the
 * registry's recognition order; what nobody claims becomes raw SQL. Fragments inside an explicit
 * transaction block can only be claimed together, as a whole block.
 */
export class Fragments {
  readonly all: readonly Fragment[];
  readonly problems: string[] = [];
  private readonly claimed = new Set<Fragment>();
  private readonly operations: Array<{ position: number; operation: Operation }> = [];

  constructor(
    statements: readonly ParsedStatement[],
    readonly source: string,
  ) {
    const all: Fragment[] = [];
    let block: number | undefined;
    let blockLine = 0;
    let blocks = 0;
    for (const statement of statements) {
      const problems = readDirectives(statement.comments).problems;
      this.problems.push(...problems.map((problem) => `${source}:${statement.line}: ${problem}`));
      const node = statement.node;
      const begins = "TransactionStmt" in node && ["TRANS_STMT_BEGIN", "TRANS_STMT_START"].includes(node.TransactionStmt.kind ?? "");
      if (begins) {
        block = blocks++;
        blockLine = statement.line;
      }
      // PostgreSQL refuses these inside a transaction block: say so before the run, not midway through it.
      if (block !== undefined && mustRunOutsideTransaction(node)) {
        const head = statement.text.split("\n")[0] ?? "";
        this.problems.push(`${source}:${statement.line}: ${head.length > 80 ? `${head.slice(0, 79)}…` : head} cannot run inside the transaction block opened at line ${blockLine} (PostgreSQL: "cannot run inside a transaction block"); remove the BEGIN/COMMIT around it, as the runner runs it on its own`);
      }
      const inBlock = block === undefined ? {} : { block };
      if ("AlterTableStmt" in node && node.AlterTableStmt.objtype === "OBJECT_TABLE" && (node.AlterTableStmt.cmds ?? []).every((cmd) => "AlterTableCmd" in cmd)) {
        const table = tableOf(node.AlterTableStmt.relation);
        (node.AlterTableStmt.cmds ?? []).forEach((cmd, index) => {
          if ("AlterTableCmd" in cmd) all.push({ statement, position: statement.index * 1000 + index, alter: { table, cmd: cmd.AlterTableCmd }, ...inBlock });
        });
      } else {
        all.push({ statement, position: statement.index * 1000, ...inBlock });
      }
      const ends = "TransactionStmt" in node && ["TRANS_STMT_COMMIT", "TRANS_STMT_ROLLBACK"].includes(node.TransactionStmt.kind ?? "");
      if (ends) block = undefined;
    }
    this.all = all;
  }

  /** Unclaimed fragments outside explicit transaction blocks, in order. */
  available(): Fragment[] {
    return this.all.filter((fragment) => fragment.block === undefined && !this.claimed.has(fragment));
  }

  /** Unclaimed explicit transaction blocks, each with every fragment from BEGIN to COMMIT. */
  availableBlocks(): Fragment[][] {
    const blocks = new Map<number, Fragment[]>();
    for (const fragment of this.all) {
      if (fragment.block === undefined || this.claimed.has(fragment)) continue;
      blocks.set(fragment.block, [...(blocks.get(fragment.block) ?? []), fragment]);
    }
    return [...blocks.values()];
  }

  /** Unclaimed subcommands of ALTER TABLE statements of the given subtype(s). */
  alterCommands(...subtypes: string[]): Array<Fragment & { alter: NonNullable<Fragment["alter"]> }> {
    return this.available().filter((f): f is Fragment & { alter: NonNullable<Fragment["alter"]> } => f.alter !== undefined && subtypes.includes(f.alter.cmd.subtype ?? ""));
  }

  /** Unclaimed whole statements whose node is of `kind` (e.g. "IndexStmt"). */
  statements(kind: string): Fragment[] {
    return this.available().filter((f) => f.alter === undefined && f.statement.kind === kind);
  }

  /** Claims fragments for an operation; it takes the position of the first of `anchor` (default: the first fragment). */
  claim(fragments: readonly Fragment[], operation: Operation, anchor: Fragment | undefined = fragments[0]): void {
    for (const fragment of fragments) this.claimed.add(fragment);
    this.operations.push({ position: anchor?.position ?? 0, operation });
  }

  /** Marks fragments as taken without an operation (e.g. transaction control around a claimed block). */
  discard(fragments: readonly Fragment[]): void {
    for (const fragment of fragments) this.claimed.add(fragment);
  }

  problem(statement: ParsedStatement, text: string): void {
    this.problems.push(`${this.source}:${statement.line}: ${text}`);
  }

  isClaimed(fragment: Fragment): boolean {
    return this.claimed.has(fragment);
  }

  result(): Operation[] {
    return [...this.operations].sort((a, b) => a.position - b.position).map((entry) => entry.operation);
  }
}

/** The distinct statements of some fragments, in order. */
export function statementsOf(fragments: readonly Fragment[]): ParsedStatement[] {
  return [...new Set(fragments.map((f) => f.statement))].sort((a, b) => a.index - b.index);
}

export type { Node };
