import type { Database } from "#db/client";
import { clip } from "~/lib/clean-text";
import { parseCsv, type CsvRecord } from "~/lib/csv";
import { formatCount } from "~/lib/counts";
import { CONVERSION_STATUS_LABELS, REJECTION_REASONS, type RejectionReason } from "~/lib/labels";
import type { Tenant } from "../orgs/tenant.server";
import { conversionsFor, type ConversionStatus, type OrderConversion } from "./conversion-data.server";
import { assertConversionReviewer } from "./conversion-review.server";
import { transition, type ConversionChange } from "./lifecycle.server";
import { CONVERSION_NOTE_MAX_LENGTH, CSV_COLUMNS, CSV_MAX_BYTES, CSV_MAX_ROWS } from "./schemas";

type Column = (typeof CSV_COLUMNS)[number];

/** What a browser or spreadsheet calls a CSV file (Windows names it after Excel); an empty type is a file without one. */
const CSV_TYPES = new Set([
  "",
  "text/csv",
  "text/plain",
  "text/x-csv",
  "text/comma-separated-values",
  "application/csv",
  "application/vnd.ms-excel",
]);
const ORDER_ID_MAX_LENGTH = 100;
/** The postback's rule for an event name: a row naming anything else could match no conversion. */
const EVENT_NAME = /^[a-z0-9_-]{1,40}$/;
// eslint-disable-next-line no-control-regex -- what a text file never holds: C0 controls but tab and line breaks, and DEL
const BINARY = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/;
const ACTIONS = { approved: "approve", rejected: "reject", reversed: "reverse" } as const;
type CsvStatus = keyof typeof ACTIONS;

export type CsvRefusal = { refused: { status: 413 | 415 | 422; message: string } };

/** A line of the file: the change it asks for, or why it cannot ask for one. */
type CsvRow = { line: number; orderId: string; event: string } & ({ change: ConversionChange } | { error: string });

/** What a line of the file does (preview) or did (applied). */
export type CsvRowResult = {
  line: number;
  orderId: string;
  event: string;
  outcome: "change" | "unchanged" | "error";
  from: ConversionStatus | null;
  to: ConversionStatus | null;
  message: string | null;
};

export type CsvReport = {
  applied: boolean;
  /** The file's text, for the apply step to send back (preview only). */
  csv: string | null;
  rows: CsvRowResult[];
  counts: Record<CsvRowResult["outcome"], number>;
};

const refuse = (status: 413 | 415 | 422, message: string): CsvRefusal => ({ refused: { status, message } });

/** A value as a message quotes it: at most 40 characters. */
const quoted = (value: string) => `“${clip(value, 40)}”`;

const keyOf = (orderId: string, event: string) => `${orderId}\u0000${event}`;

/**
 * Step 1 of an import: reads the uploaded file and tells, line by line, what it would change
 * (current status → new) or why it cannot. Changes nothing.
 */
export async function previewConversionCsv(
  db: Database,
  tenant: Tenant,
  upload: FormDataEntryValue | null,
): Promise<CsvReport | CsvRefusal> {
  assertConversionReviewer(tenant);
  const read = await readUpload(upload);
  if ("refused" in read) return read;
  const rows = readRows(read.text);
  if ("refused" in rows) return rows;
  const found = await lookUp(db, tenant, rows);
  return report(
    false,
    read.text,
    rows.map((row) => verdict(row, found)),
  );
}

/**
 * Step 2: the file's text sent back from the preview, read and checked again from scratch (the
 * browser is trusted with nothing), and every good line applied in one transaction, a change per
 * kind of change. A line is applied whole or not at all; one whose conversion moved since the
 * preview, so that the change is no longer allowed, is reported with why.
 */
export async function applyConversionCsv(db: Database, tenant: Tenant, posted: FormDataEntryValue | null): Promise<CsvReport | CsvRefusal> {
  assertConversionReviewer(tenant);
  if (typeof posted !== "string" || posted === "") return refuse(422, "The import lost its file: upload it again.");
  if (Buffer.byteLength(posted) > CSV_MAX_BYTES) return refuse(413, tooLarge);
  const rows = readRows(posted);
  if ("refused" in rows) return rows;
  const found = await lookUp(db, tenant, rows);
  const results = rows.map((row) => verdict(row, found));

  const groups = new Map<string, { change: ConversionChange; ids: string[]; lines: number[] }>();
  rows.forEach((row, i) => {
    if (results[i]!.outcome !== "change" || !("change" in row)) return;
    const kind = JSON.stringify(row.change);
    const group = groups.get(kind) ?? { change: row.change, ids: [], lines: [] };
    group.ids.push(found.get(keyOf(row.orderId, row.event))!.id);
    group.lines.push(i);
    groups.set(kind, group);
  });
  const batches = [...groups.values()];
  const outcomes = batches.length ? await conversionsFor(db, tenant).changeEach(batches) : [];
  batches.forEach((batch, b) =>
    outcomes[b]!.forEach((outcome, j) => {
      const i = batch.lines[j]!;
      const result = results[i]!;
      if (outcome.result === "changed") results[i] = { ...result, from: outcome.from, to: outcome.to };
      else if (outcome.result === "unchanged")
        results[i] = { ...result, outcome: "unchanged", to: outcome.status, message: already(outcome.status) };
      else {
        const why = outcome.result === "refused" ? outcome.message : "It is no longer among your conversions.";
        results[i] = { ...result, outcome: "error", to: null, message: `It changed since the preview: ${why}` };
      }
    }),
  );
  return report(true, null, results);
}

const tooLarge = `The file is larger than 1 MB: split it into files of at most ${formatCount(CSV_MAX_ROWS)} lines.`;

async function readUpload(upload: FormDataEntryValue | null): Promise<{ text: string } | CsvRefusal> {
  if (!(upload instanceof Blob) || upload.size === 0) return refuse(422, "Choose a CSV file to upload.");
  if (upload.size > CSV_MAX_BYTES) return refuse(413, tooLarge);
  const type = upload.type.split(";")[0]!.trim().toLowerCase();
  const name = upload instanceof File ? upload.name.toLowerCase() : "";
  if (!CSV_TYPES.has(type) && !(type === "application/octet-stream" && name.endsWith(".csv"))) {
    return refuse(415, "That is not a CSV file: save the sheet as CSV (comma-separated values) and upload that.");
  }
  try {
    // fatal: a byte that is not UTF-8 is refused, never replaced; the BOM some tools write is dropped.
    return { text: new TextDecoder("utf-8", { fatal: true }).decode(await upload.arrayBuffer()) };
  } catch {
    return refuse(422, "The file is not UTF-8 text: save it as “CSV UTF-8” and upload it again.");
  }
}

/** The file's lines after its header, each read into a change or an error; a file that cannot be read at all is refused. */
function readRows(text: string): CsvRow[] | CsvRefusal {
  if (BINARY.test(text)) return refuse(422, "The file holds binary data, not CSV text: save the sheet as CSV and upload that.");
  const parsed = parseCsv(text);
  if ("error" in parsed) return refuse(422, `The file is not valid CSV. ${parsed.error}`);
  const [header, ...records] = parsed.records.filter((record) => record.fields.some((field) => field.trim() !== ""));
  if (!header) return refuse(422, `The file is empty: it needs a first line naming the columns (${CSV_COLUMNS.join(",")}).`);
  const names = header.fields.map((field) => field.trim().toLowerCase());
  const problem = headerProblem(names);
  if (problem) return refuse(422, problem);
  if (records.length === 0) return refuse(422, "The file names its columns but has no lines after them.");
  if (records.length > CSV_MAX_ROWS) {
    return refuse(413, `The file has ${formatCount(records.length)} lines: import at most ${formatCount(CSV_MAX_ROWS)} at a time.`);
  }
  return markDuplicates(records.map((record) => readRow(record, names as Column[])));
}

function headerProblem(names: string[]): string | null {
  const columns = `The first line names the columns: ${CSV_COLUMNS.join(", ")} (event, reason and note may be left out).`;
  if (names.length === 1 && names[0]!.includes(";")) return `Separate the columns with commas, not semicolons. ${columns}`;
  const unknown = names.find((name) => !(CSV_COLUMNS as readonly string[]).includes(name));
  if (unknown !== undefined) return `${unknown ? `Unknown column ${quoted(unknown)}` : "A column has no name"}. ${columns}`;
  const twice = names.find((name, i) => names.indexOf(name) !== i);
  if (twice) return `The column ${twice} is named twice.`;
  const missing = ["order_id", "status"].filter((name) => !names.includes(name));
  if (missing.length) return `The column ${missing.join(" and ")} is missing. ${columns}`;
  return null;
}

function readRow({ line, fields }: CsvRecord, names: Column[]): CsvRow {
  const value = (column: Column) => {
    const i = names.indexOf(column);
    return i === -1 ? "" : (fields[i] ?? "").trim();
  };
  const orderId = value("order_id");
  const event = value("event") || "sale";
  const shown = { line, orderId: clip(orderId, ORDER_ID_MAX_LENGTH), event };
  const error = (message: string): CsvRow => ({ ...shown, event: clip(event, 40), error: message });
  // Fewer fields leave the last columns empty (a hand-written "A-1,sale,approved"); more cannot be placed.
  if (fields.length > names.length) return error(`This line has ${fields.length} fields; the first line names ${names.length} columns.`);
  if (!orderId) return error("order_id is empty.");
  if (orderId.length > ORDER_ID_MAX_LENGTH) return error(`order_id is longer than ${ORDER_ID_MAX_LENGTH} characters.`);
  if (!EVENT_NAME.test(event)) return error("event must be 1 to 40 lower-case letters, digits, - or _ (empty means sale).");
  const status = value("status").toLowerCase();
  if (!Object.hasOwn(ACTIONS, status)) {
    return error(`status must be approved, rejected or reversed${status ? `, not ${quoted(status)}` : ""}.`);
  }
  const reason = value("reason").toLowerCase();
  // Line breaks inside a quoted note come back from the browser as CRLF: one form, whichever way it came.
  const note = value("note").replace(/\r\n?/g, "\n");
  if (note.length > CONVERSION_NOTE_MAX_LENGTH) return error(`The note is longer than ${CONVERSION_NOTE_MAX_LENGTH} characters.`);
  if (status === "approved") {
    if (reason || note) return error("An approval takes no reason or note: leave them empty.");
    return { ...shown, change: { action: "approve" } };
  }
  const reasons = REJECTION_REASONS.join(", ");
  if (!reason) return error(`A ${status} line needs a reason: ${reasons}.`);
  if (!(REJECTION_REASONS as readonly string[]).includes(reason)) return error(`reason must be one of ${reasons}, not ${quoted(reason)}.`);
  const action = ACTIONS[status as Exclude<CsvStatus, "approved">];
  return { ...shown, change: { action, reason: reason as RejectionReason, note: note || null } };
}

/** A conversion named on more than one line: which line should win is the merchant's call, so none does. */
function markDuplicates(rows: CsvRow[]): CsvRow[] {
  const lines = new Map<string, number[]>();
  for (const row of rows) {
    if (!row.orderId) continue;
    const key = keyOf(row.orderId, row.event);
    lines.set(key, [...(lines.get(key) ?? []), row.line]);
  }
  return rows.map((row) => {
    const same = lines.get(keyOf(row.orderId, row.event)) ?? [];
    if (same.length < 2 || "error" in row) return row;
    return { ...row, error: `Order ${row.orderId} (${row.event}) is on lines ${same.join(", ")}: keep one line per conversion.` };
  });
}

/** The merchant's conversions the good lines name, in one query. */
async function lookUp(db: Database, tenant: Tenant, rows: CsvRow[]) {
  const keys = new Map<string, { orderId: string; event: string }>();
  for (const row of rows) if ("change" in row) keys.set(keyOf(row.orderId, row.event), { orderId: row.orderId, event: row.event });
  const found = await conversionsFor(db, tenant).findOrders([...keys.values()]);
  return new Map<string, OrderConversion>(found.map((c) => [keyOf(c.orderId, c.event), c]));
}

const already = (status: ConversionStatus) => `Already ${CONVERSION_STATUS_LABELS[status].toLowerCase()}.`;

/** What the line would do to its conversion as it stands: the lifecycle's own rule decides. */
function verdict(row: CsvRow, found: Map<string, OrderConversion>): CsvRowResult {
  const base = { line: row.line, orderId: row.orderId, event: row.event, from: null, to: null };
  if ("error" in row) return { ...base, outcome: "error", message: row.error };
  const conversion = found.get(keyOf(row.orderId, row.event));
  if (!conversion)
    return { ...base, outcome: "error", message: `None of your conversions is order ${row.orderId} with the event ${row.event}.` };
  const next = transition(conversion, row.change, "merchant");
  const from = conversion.status;
  if (next === "unchanged") return { ...base, outcome: "unchanged", from, to: from, message: already(from) };
  if ("refused" in next) return { ...base, outcome: "error", from, message: next.refused };
  return { ...base, outcome: "change", from, to: next.status, message: null };
}

function report(applied: boolean, csv: string | null, rows: CsvRowResult[]): CsvReport {
  const counts = { change: 0, unchanged: 0, error: 0 };
  for (const row of rows) counts[row.outcome]++;
  return { applied, csv, rows, counts };
}
