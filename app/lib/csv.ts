/** One record of a CSV file and the line it starts on (1-based, as an editor numbers lines). */
export type CsvRecord = { line: number; fields: string[] };

/**
 * Reads CSV text as RFC 4180 writes it: fields separated by commas, records by CRLF (or a bare LF
 * or CR, as other tools write them), a field in double quotes may hold commas, line breaks and
 * doubled quotes (""). A quote anywhere else is refused rather than guessed at, with the line it is on.
 */
export function parseCsv(text: string): { records: CsvRecord[] } | { error: string } {
  const records: CsvRecord[] = [];
  if (text === "") return { records };
  let fields: string[] = [];
  let recordLine = 1;
  let line = 1;
  let i = 0;
  while (i <= text.length) {
    // One field per pass, from i to the comma or line break after it.
    let field: string;
    if (text[i] === '"') {
      const startLine = line;
      const parts: string[] = [];
      let from = i + 1;
      for (;;) {
        const quote = text.indexOf('"', from);
        if (quote === -1) return { error: `Line ${startLine}: a quoted field is never closed.` };
        const part = text.slice(from, quote);
        line += lineBreaks(part);
        parts.push(part);
        if (text[quote + 1] !== '"') {
          i = quote + 1;
          break;
        }
        parts.push('"');
        from = quote + 2;
      }
      field = parts.join("");
      const next = text[i];
      if (next !== undefined && next !== "," && next !== "\n" && next !== "\r") {
        return { error: `Line ${line}: a closing quote must be followed by a comma or the end of the line.` };
      }
    } else {
      let end = i;
      while (end < text.length && text[end] !== "," && text[end] !== "\n" && text[end] !== "\r") end++;
      field = text.slice(i, end);
      if (field.includes('"')) {
        return { error: `Line ${line}: a quote inside a field; put the whole field in quotes and double the quote ("").` };
      }
      i = end;
    }
    fields.push(field);
    const separator = text[i];
    if (separator === ",") {
      i++;
      continue;
    }
    // A line break or the end of the text ends the record; the line break after the last record adds none.
    records.push({ line: recordLine, fields });
    fields = [];
    if (separator === undefined) break;
    i += separator === "\r" && text[i + 1] === "\n" ? 2 : 1;
    line++;
    recordLine = line;
    if (i === text.length) break;
  }
  return { records };
}

function lineBreaks(text: string): number {
  return text.match(/\r\n|\r|\n/g)?.length ?? 0;
}

/**
 * Writes records as RFC 4180 CSV (CRLF, a field quoted when it holds a comma, quote or line break).
 * A text field a spreadsheet would run as a formula (=, +, -, @ first, not a number) is prefixed
 * with an apostrophe, so an exported name cannot execute in the reader's spreadsheet.
 */
export function formatCsv(records: readonly (readonly (string | number)[])[]): string {
  return records.map((fields) => fields.map(csvField).join(",")).join("\r\n") + "\r\n";
}

function csvField(value: string | number): string {
  let text = String(value);
  if (typeof value === "string" && /^[=+\-@\t\r]/.test(text) && !/^-?\d+(\.\d+)?$/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}
