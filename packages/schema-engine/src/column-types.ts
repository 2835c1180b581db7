import { ColumnTypeEnum, type ColumnType } from "@prisma/driver-adapter-utils";
import pg from "pg";

/**
 * How result columns reach the schema engine. The engine reads catalog queries, so beyond the usual
 * scalar types it needs PostgreSQL's internal ones: `name` (19) as text and `"char"` (18) as
 * Character: the engine's describer reads `pg_constraint.contype` of CHECK constraints as a char
 * and panics on anything else. Every other unknown type reaches it as text.
 */
const COLUMN_TYPES: Record<number, ColumnType> = {
  16: ColumnTypeEnum.Boolean,
  17: ColumnTypeEnum.Bytes,
  18: ColumnTypeEnum.Character,
  19: ColumnTypeEnum.Text,
  20: ColumnTypeEnum.Int64,
  21: ColumnTypeEnum.Int32,
  23: ColumnTypeEnum.Int32,
  25: ColumnTypeEnum.Text,
  26: ColumnTypeEnum.Int64,
  114: ColumnTypeEnum.Json,
  700: ColumnTypeEnum.Float,
  701: ColumnTypeEnum.Double,
  790: ColumnTypeEnum.Numeric,
  1042: ColumnTypeEnum.Text,
  1043: ColumnTypeEnum.Text,
  1082: ColumnTypeEnum.Date,
  1083: ColumnTypeEnum.Time,
  1114: ColumnTypeEnum.DateTime,
  1184: ColumnTypeEnum.DateTime,
  1266: ColumnTypeEnum.Time,
  1700: ColumnTypeEnum.Numeric,
  2950: ColumnTypeEnum.Uuid,
  3802: ColumnTypeEnum.Json,
  // arrays
  1000: ColumnTypeEnum.BooleanArray,
  1001: ColumnTypeEnum.BytesArray,
  1002: ColumnTypeEnum.CharacterArray,
  1003: ColumnTypeEnum.TextArray,
  1005: ColumnTypeEnum.Int32Array,
  1007: ColumnTypeEnum.Int32Array,
  1009: ColumnTypeEnum.TextArray,
  1014: ColumnTypeEnum.TextArray,
  1015: ColumnTypeEnum.TextArray,
  1016: ColumnTypeEnum.Int64Array,
  1021: ColumnTypeEnum.FloatArray,
  1022: ColumnTypeEnum.DoubleArray,
  1028: ColumnTypeEnum.Int64Array,
  1115: ColumnTypeEnum.DateTimeArray,
  1182: ColumnTypeEnum.DateArray,
  1183: ColumnTypeEnum.TimeArray,
  1185: ColumnTypeEnum.DateTimeArray,
  1231: ColumnTypeEnum.NumericArray,
  199: ColumnTypeEnum.JsonArray,
  2951: ColumnTypeEnum.UuidArray,
  3807: ColumnTypeEnum.JsonArray,
  // int2vector / oidvector (e.g. pg_index.indkey) arrive as text "1 2 3"
  22: ColumnTypeEnum.Text,
  30: ColumnTypeEnum.Text,
};

export function columnTypeOf(oid: number): ColumnType {
  return COLUMN_TYPES[oid] ?? ColumnTypeEnum.Text;
}

const identity = (value: string): string => value;
const arrayOf = (element: (value: string) => unknown) => (value: string) => parseArray(value, element);
const timestamp = (value: string): string => `${value.replace(" ", "T")}+00:00`;
const timestamptz = (value: string): string => value.replace(" ", "T").replace(/[+-]\d{2}(:\d{2})?$/, "+00:00");
const timetz = (value: string): string => value.replace(/[+-]\d{2}(:\d{2})?$/, "");
const money = (value: string): string => value.slice(1);

/** Text-format parsers that keep the representations the engine expects (as adapter-pg does). */
const PARSERS: Record<number, (value: string) => unknown> = {
  1700: identity,
  1231: arrayOf(identity),
  1083: identity,
  1183: arrayOf(identity),
  1266: timetz,
  1082: identity,
  1182: arrayOf(identity),
  1114: timestamp,
  1115: arrayOf(timestamp),
  1184: timestamptz,
  1185: arrayOf(timestamptz),
  790: money,
  114: identity,
  199: arrayOf(identity),
  3802: identity,
  3807: arrayOf(identity),
};

export const engineTypeParsers = {
  getTypeParser(oid: number, format?: "text" | "binary"): (value: string) => unknown {
    if ((format ?? "text") === "text" && PARSERS[oid]) return PARSERS[oid];
    return pg.types.getTypeParser(oid, format ?? "text") as (value: string) => unknown;
  },
};

/** A minimal PostgreSQL array literal parser (one dimension, quoted elements, NULL). */
export function parseArray(literal: string, element: (value: string) => unknown): unknown[] {
  const body = literal.trim().replace(/^\{/, "").replace(/\}$/, "");
  if (body === "") return [];
  const items: unknown[] = [];
  let current = "";
  let quoted = false;
  let wasQuoted = false;
  for (let i = 0; i < body.length; i++) {
    const char = body[i];
    if (quoted) {
      if (char === "\\") current += body[++i] ?? "";
      else if (char === '"') quoted = false;
      else current += char;
    } else if (char === '"') {
      quoted = true;
      wasQuoted = true;
    } else if (char === ",") {
      items.push(!wasQuoted && current === "NULL" ? null : element(current));
      current = "";
      wasQuoted = false;
    } else {
      current += char;
    }
  }
  items.push(!wasQuoted && current === "NULL" ? null : element(current));
  return items;
}
