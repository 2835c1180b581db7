/**
 * Prisma's reverse diff (schema → database) writes `DROP SEQUENCE "";` where the schema side has an
 * autoincrement column: the schema cannot know the sequence's name, so Prisma writes none, and
 * PostgreSQL cannot parse the line (zero-length delimited identifier). The sequence is the column's own
 * (SERIAL, OWNED BY), dropped with the column by the statement before; where one is left behind, the down
 * trial's comparison (sequences included) reports it. The line is matched exactly as Prisma prints it,
 * before any parsing is possible.
 */
const UNNAMED_SEQUENCE_DROP = 'DROP SEQUENCE "";';

export function withoutUnnamedSequenceDrops(prismaSql: string): string {
  return prismaSql
    .split("\n")
    .filter((line) => line.trim() !== UNNAMED_SEQUENCE_DROP)
    .join("\n");
}
