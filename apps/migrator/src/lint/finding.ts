/** One lint finding; findings are data, rendered and counted by the caller. */
export interface Finding {
  /** Rule id: squawk's name, or one of ours (src/rules/<id>.ts). */
  rule: string;
  source: "squawk" | "soleflip";
  level: "error" | "warning";
  /** Migration directory name and file, e.g. 20251117000100_fix/migration.sql */
  file: string;
  /** 1-based. */
  line: number;
  message: string;
  help?: string | undefined;
  /** Set when a `-- migrator-ignore <rule>: <reason>` directive covers the finding. */
  suppressed?: string | undefined;
}
