import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { join } from "node:path";
import { afterAll } from "vitest";
import { constants as osConstants, tmpdir } from "node:os";
import { fileURLToPath } from "node:url";
import { testEnv } from "./env.ts";

export interface CommandRun {
  exitCode: number | null;
  stdout: string;
  stderr: string;
}

/** The repository root, where the README's commands are run. */
export const repositoryRoot = fileURLToPath(new URL("../../../../", import.meta.url));

/**
 * pnpm as the README runs it: the pnpm that runs these tests (npm_execpath) when there is one,
 * otherwise `npx pnpm@12.4.2`.
 */
function pnpm(): { command: string; args: string[] } {
  const execpath = testEnv.npmExecpath;
  if (execpath && /pnpm/.test(execpath)) {
    // pnpm 12 ships as a single executable; older ones as a script that node runs.
    return /\.[cm]?js$/.test(execpath) ? { command: process.execPath, args: [execpath] } : { command: execpath, args: [] };
  }
  return { command: "npx", args: ["--yes", "pnpm@12.4.2"] };
}

/**
 * Starts `pnpm <script> <args…>` from the repository root, exactly as a user types it; the environment
 * is only PATH, HOME and what the test passes (plus the test cluster as the scratch server, so that no
 * command starts the embedded PostgreSQL of .data/).
 */
/**
 * Commands run by a test write their run folders here (SOLEFLIP_REPORTS_DIR), never into the checkout's
 * reports/, whose pointers name the developer's own runs; made on first use, removed after the file's tests.
 */
let reportsDir: string | undefined;
afterAll(() => {
  if (reportsDir) rmSync(reportsDir, { recursive: true, force: true });
  reportsDir = undefined;
});
function testReportsDir(): string {
  return (reportsDir ??= mkdtempSync(join(tmpdir(), "sf-test-reports-")));
}

export function startRootScript(script: string, args: readonly string[], env: Record<string, string>, options: { cwd?: string } = {}): { child: ChildProcess; done: Promise<CommandRun> } {
  const { command, args: prefix } = pnpm();
  const child = spawn(command, [...prefix, script, ...args], {
    cwd: options.cwd ?? repositoryRoot,
    env: { PATH: testEnv.path, HOME: testEnv.home, SOLEFLIP_REPORTS_DIR: testReportsDir(), ...env },
    stdio: ["ignore", "pipe", "pipe"],
    // Its own process group, so that a signal reaches pnpm and the tool under it, as Ctrl-C in a terminal does.
    detached: true,
  });
  let stdout = "";
  let stderr = "";
  child.stdout?.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr?.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  // Done when pnpm has exited and every process of its group with it (the tool may still be cleaning up
  // after a signal); a death by signal is reported as a shell reports it, 128 + the signal's number.
  const done = new Promise<CommandRun>((resolve) =>
    child.on("close", (code, signal) => {
      const exitCode = code ?? (signal ? 128 + (osConstants.signals[signal] ?? 0) : null);
      void groupGone(child.pid).then(() => resolve({ exitCode, stdout, stderr }));
    }),
  );
  return { child, done };
}

export function runRootScript(script: string, args: readonly string[], env: Record<string, string>, options: { cwd?: string } = {}): Promise<CommandRun> {
  return startRootScript(script, args, env, options).done;
}

async function groupGone(pid: number | undefined, timeoutMs = 60_000): Promise<void> {
  if (!pid) return;
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      process.kill(-pid, 0);
    } catch {
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Sends a signal to the whole process group (pnpm, the shell and the tool), as a terminal does. */
export function signalTree(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid) process.kill(-child.pid, signal);
}

/** Resolves once the child's stderr contains `text`. */
export function waitForOutput(child: ChildProcess, text: string, timeoutMs = 60_000): Promise<void> {
  return new Promise((resolve, reject) => {
    let seen = "";
    const timer = setTimeout(() => reject(new Error(`timed out waiting for "${text}"; saw:\n${seen}`)), timeoutMs);
    child.stderr?.on("data", (chunk: Buffer) => {
      seen += chunk.toString();
      if (seen.includes(text)) {
        clearTimeout(timer);
        resolve();
      }
    });
  });
}
