/**
 * A schema of Prisma 4–6 in the form Prisma 7 reads: the connection moved from the datasource block to
 * prisma.config.ts (Prisma 7 refuses `url`, `directUrl` and `shadowDatabaseUrl` there, P1012). That is
 * the one edit a project upgrading to Prisma 7 makes to its schema; nothing else is touched.
 */
export function asPrisma7(schema: string): string {
  return schema.replace(/(datasource\s+\w+\s*\{)([^}]*)(\})/, (_, open: string, body: string, close: string) => {
    const kept = body.split("\n").filter((line) => !/^\s*(url|directUrl|shadowDatabaseUrl)\s*=/.test(line));
    return `${open}${kept.join("\n")}${close}`;
  });
}
