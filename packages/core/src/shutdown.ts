/**
 * Ctrl-C and SIGTERM, handled once for the whole process: the work in flight is stopped and cleaned up
 * (a running statement cancelled and its attempt recorded, scratch databases dropped, the embedded
 * server stopped), newest first, then the process exits with 130 (SIGINT) or 143 (SIGTERM).
 */
type Handler = () => Promise<void>;

const handlers: Handler[] = [];
let installed = false;
let shuttingDown = false;

const HANDLER_TIMEOUT_MS = 15_000;

/** Registers cleanup to run on a signal; returns a function that unregisters it (call it when done). */
export function onShutdown(handler: Handler): () => void {
  installSignalHandlers();
  handlers.push(handler);
  return () => {
    const index = handlers.lastIndexOf(handler);
    if (index >= 0) handlers.splice(index, 1);
  };
}

export function isShuttingDown(): boolean {
  return shuttingDown;
}

function installSignalHandlers(): void {
  if (installed) return;
  installed = true;
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
    process.on(signal, () => {
      if (shuttingDown) return;
      shuttingDown = true;
      if (handlers.length > 0) process.stderr.write(`\n${signal}: stopping; cleaning up what this run started…\n`);
      void runHandlers().finally(() => process.exit(signal === "SIGINT" ? 130 : 143));
    });
  }
}

async function runHandlers(): Promise<void> {
  for (const handler of [...handlers].reverse()) {
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      handler().catch(() => undefined),
      new Promise<void>((resolve) => {
        timer = setTimeout(resolve, HANDLER_TIMEOUT_MS);
      }),
    ]);
    clearTimeout(timer);
  }
}
