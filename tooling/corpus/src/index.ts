export { loadProject, PROJECTS, type CorpusProject, type CorpusStep, type ProjectName } from "./corpus.ts";
export { asPrisma7 } from "./prisma7.ts";
