/**
 * Removes passwords from anything that may reach a terminal, a log or a report: URLs with user info
 * (`postgres://user:secret@host`), key/value connection strings (`password=secret`) and
 * PGPASSWORD-style assignments. Secrets that were registered explicitly are removed wherever they appear.
 */
const registeredSecrets = new Set<string>();

export function registerSecret(secret: string | undefined): void {
  if (secret && secret.length >= 3) registeredSecrets.add(secret);
}

export function redactSecrets(text: string): string {
  let result = text
    .replace(/([a-z][a-z0-9+.-]*:\/\/[^:/?#\s@]*):([^@\s/]*)@/gi, "$1:***@")
    .replace(/\b(password|pgpassword)\s*=\s*('[^']*'|"[^"]*"|[^\s&;]+)/gi, "$1=***");
  for (const secret of registeredSecrets) {
    if (result.includes(secret)) result = result.split(secret).join("***");
    const encoded = encodeURIComponent(secret);
    if (encoded !== secret && result.includes(encoded)) result = result.split(encoded).join("***");
  }
  return result;
}

/** A connection string fit for display: the password replaced, everything else kept. */
export function redactConnectionString(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = "***";
    for (const key of [...parsed.searchParams.keys()]) {
      if (/^(password|sslpassword)$/i.test(key)) parsed.searchParams.set(key, "***");
    }
    return parsed.toString();
  } catch {
    return redactSecrets(url);
  }
}
