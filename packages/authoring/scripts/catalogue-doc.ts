// `pnpm docs:catalogue`: writes docs/catalogue.md from the acceptance catalogue.
import { writeFile } from "node:fs/promises";
import { renderCatalogueDoc } from "../test/catalogue-doc.ts";

const target = new URL("../../../docs/catalogue.md", import.meta.url);
await writeFile(target, renderCatalogueDoc());
process.stdout.write(`wrote ${target.pathname}\n`);
