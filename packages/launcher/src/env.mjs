// @ts-check
// The one place the launcher reads the environment.
export const launcherEnv = {
  /** SOLEFLIP_NO_BUNDLE=1: run the TypeScript sources through tsx, never a bundle. */
  noBundle: process.env["SOLEFLIP_NO_BUNDLE"] === "1",
  /** SOLEFLIP_LAUNCHER_DEBUG=1: say on stderr whether a bundle was reused, rebuilt, or tsx ran. */
  debug: process.env["SOLEFLIP_LAUNCHER_DEBUG"] === "1",
};
