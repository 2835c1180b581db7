// What the global setup provides to test files (vitest inject).
declare module "vitest" {
  export interface ProvidedContext {
    adminDatabaseUrl: string;
  }
}

export {};
