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
    for (const form of new Set([secret, encodeURIComponent(secret)])) {
      // Whole occurrences only: a password "postgres" hides the password, not the word in "postgresql://".
      if (result.includes(form)) result = result.replace(new RegExp(`(?<![A-Za-z0-9_])${escapeRegExp(form)}(?![A-Za-z0-9_])`, "g"), "***");
    }
  }
  return result;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
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
