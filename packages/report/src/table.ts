import { markdownTable as build } from "markdown-table";

/** A GitHub-flavoured Markdown table (markdown-table escapes pipes; line breaks become spaces). */
export function markdownTable(header: string[], rows: string[][]): string {
  return build([header, ...rows.map((row) => row.map((cell) => cell.replaceAll("\n", " ")))], { alignDelimiters: false });
}
