import type { ToolkitError } from "@soleflip/core";

/** A failure as two or three lines: what happened (with its code), how to fix it, and the cause. */
export function renderError(error: ToolkitError): string {
  const json = error.toJSON();
  return [`error [${json.code}]: ${json.summary}`, `  fix: ${json.fix}`, ...(json.cause && json.cause !== json.summary ? [`  cause: ${json.cause}`] : [])].join("\n");
}
