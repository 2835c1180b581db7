import type { A_Const, Node, TypeName } from "@soleflip/sql";
import { namesOf } from "./sql-parts.ts";

/** A type as PostgreSQL's format_type prints it, split into its name and modifiers. */
export interface FormattedType {
  /** e.g. "character varying", "numeric", "timestamp without time zone" */
  base: string;
  /** Type modifiers, e.g. [255] or [10, 2]; [] when unconstrained. */
  mods: number[];
  /** Array dimensions. */
  array: boolean;
}

/** pg_catalog names that format_type prints differently. */
const DISPLAY: Record<string, string> = {
  varchar: "character varying",
  bpchar: "character",
  int2: "smallint",
  int4: "integer",
  int8: "bigint",
  float4: "real",
  float8: "double precision",
  bool: "boolean",
  timestamp: "timestamp without time zone",
  timestamptz: "timestamp with time zone",
  time: "time without time zone",
  timetz: "time with time zone",
  varbit: "bit varying",
  numeric: "numeric",
  interval: "interval",
};

const WITH_PRECISION = new Set(["timestamp without time zone", "timestamp with time zone", "time without time zone", "time with time zone"]);

/** The format_type text of a written type, when it is a built-in type with constant modifiers. */
export function formatTypeName(typeName: TypeName | undefined): string | undefined {
  if (!typeName?.names) return undefined;
  const names = namesOf(typeName.names);
  const builtIn = names.length === 2 && names[0] === "pg_catalog" ? names[1] : names.length === 1 ? names[0] : undefined;
  if (!builtIn) return undefined;
  const mods = (typeName.typmods ?? []).map((mod) => constValue(mod));
  if (mods.some((mod) => mod === undefined)) return undefined;
  const base = DISPLAY[builtIn] ?? builtIn;
  const array = (typeName.arrayBounds ?? []).length > 0 ? "[]" : "";
  if (mods.length === 0) return `${base}${array}`;
  if (WITH_PRECISION.has(base)) {
    const [name, zone] = base.split(" with");
    return `${name}(${mods.join(",")}) with${zone}${array}`;
  }
  return `${base}(${mods.join(",")})${array}`;
}

function constValue(node: Node): number | undefined {
  if (!("A_Const" in node)) return undefined;
  const value = (node.A_Const as A_Const).ival;
  return value && typeof value === "object" && "ival" in value ? Number(value.ival ?? 0) : undefined;
}

export function parseFormattedType(text: string): FormattedType {
  const array = text.endsWith("[]");
  const body = array ? text.slice(0, -2) : text;
  const match = /^([^(]+?)(?:\(([\d, ]+)\))?( with(?:out)? time zone)?$/.exec(body);
  if (!match) return { base: body, mods: [], array };
  return { base: `${match[1] ?? ""}${match[3] ?? ""}`.trim(), mods: (match[2] ?? "").split(",").filter(Boolean).map((m) => Number(m.trim())), array };
}

/**
 * Whether ALTER COLUMN … TYPE from `from` to `to` (format_type texts) rewrites the table. Only changes
 * PostgreSQL makes without a rewrite are said not to: the same type, a varchar/varbit/numeric/
 * timestamp/time limit raised or lifted (numeric keeping its scale), varchar to text, cidr to inet.
 * Anything unknown is taken to rewrite.
 */
export function typeChangeRewrites(from: string | undefined, to: string | undefined, hasUsing: boolean): boolean {
  if (!from || !to) return true;
  if (from === to) return false;
  if (hasUsing) return true;
  const a = parseFormattedType(from);
  const b = parseFormattedType(to);
  if (a.array !== b.array) return true;
  if (["character varying", "bit varying"].includes(a.base) && a.base === b.base) return b.mods.length > 0 && (a.mods.length === 0 || (b.mods[0] ?? 0) < (a.mods[0] ?? 0));
  if (a.base === "character varying" && b.base === "text") return false;
  if (a.base === "text" && b.base === "character varying" && b.mods.length === 0) return false;
  if (a.base === "cidr" && b.base === "inet") return false;
  if (a.base === "numeric" && b.base === "numeric") {
    if (b.mods.length === 0) return false;
    if (a.mods.length === 0) return true;
    return (b.mods[1] ?? 0) !== (a.mods[1] ?? 0) || (b.mods[0] ?? 0) < (a.mods[0] ?? 0);
  }
  if (WITH_PRECISION.has(a.base) && a.base === b.base) return b.mods.length > 0 && (a.mods.length === 0 || (b.mods[0] ?? 6) < (a.mods[0] ?? 6));
  return true;
}

/** Whether the target type may reject or round existing values (then a pre-flight looks for them). */
export function typeChangeNarrows(from: string | undefined, to: string | undefined): boolean {
  if (!from || !to || from === to) return from !== to;
  return typeChangeRewrites(from, to, false);
}
