/** One lint finding; findings are data, rendered and counted by the caller. */
export interface Finding {
  /** Rule id: squawk's name, or one of ours (src/rules/<id>.ts). */
  rule: string;
  source: "squawk" | "soleflip";
  /**
   * error and warning count against the migration (exit 2); info is shown and does not count (squawk
   * rules the runner decides by definition, and type-style opinions on Prisma's generated SQL).
   */
  level: "error" | "warning" | "info";
  /** Migration directory name and file, e.g. 20251117000100_fix/migration.sql */
  file: string;
  /** The file's path on disk (for editors and GitHub annotations). */
  path: string;
  /** 1-based. */
  line: number;
  message: string;
  help?: string | undefined;
  /** ban-unacknowledged-hazard: the hazards the statement at `line` leaves unacknowledged, one directive each. */
  hazards?: readonly string[] | undefined;
  /** Set when a `-- migrator-ignore <rule>: <reason>` directive covers the finding. */
  suppressed?: string | undefined;
}
