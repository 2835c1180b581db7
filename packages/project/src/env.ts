/**
 * The only place this package touches the environment. A project's prisma.config.ts may read
 * `env("DATABASE_URL")`, which throws when it is unset; the tools do not use the config's URL (they take
 * DATABASE_URL or the embedded database themselves), so a placeholder stands in while it loads.
 */
export async function withConfigEnvironment<T>(load: () => Promise<T>): Promise<T> {
  const had = "DATABASE_URL" in process.env;
  if (!had) process.env["DATABASE_URL"] = "postgresql://placeholder@localhost/placeholder";
  try {
    return await load();
  } finally {
    if (!had) delete process.env["DATABASE_URL"];
  }
}
