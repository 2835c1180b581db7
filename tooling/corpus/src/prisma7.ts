/**
 * Prisma 7.10's preview features (its P1012 lists them for one it does not know). Features that became
 * stable (jsonProtocol, tracing) or were removed (metrics) are refused or ignored by Prisma 7.
 */
const PRISMA_7_PREVIEW_FEATURES = new Set(["fullTextSearchPostgres", "nativeDistinct", "partialIndexes", "postgresqlExtensions", "relationJoins", "schemaEngineDriverAdapters", "shardKeys", "strictUndefinedChecks", "typedSql", "views"]);

/**
 * A schema of Prisma 4–6 in the form Prisma 7 reads, as a project upgrading to Prisma 7 edits it: the
 * connection moved from the datasource block to prisma.config.ts (Prisma 7 refuses `url`, `directUrl`
 * and `shadowDatabaseUrl` there, P1012), and the preview features Prisma 7 no longer knows taken out of
 * `previewFeatures`. Nothing else is touched.
 */
export function asPrisma7(schema: string): string {
  return schema
    .replace(/(datasource\s+\w+\s*\{)([^}]*)(\})/, (_, open: string, body: string, close: string) => {
      const kept = body.split("\n").filter((line) => !/^\s*(url|directUrl|shadowDatabaseUrl)\s*=/.test(line));
      return `${open}${kept.join("\n")}${close}`;
    })
    .replace(/^(\s*previewFeatures\s*=\s*)\[([^\]]*)\]/gm, (_, assignment: string, list: string) => {
      const features = [...list.matchAll(/"([^"]+)"/g)].map((match) => match[1] ?? "").filter((feature) => PRISMA_7_PREVIEW_FEATURES.has(feature));
      return `${assignment}[${features.map((feature) => `"${feature}"`).join(", ")}]`;
    });
}
