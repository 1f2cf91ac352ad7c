import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseCsv } from "~/lib/csv";

const fieldsOf = (text: string) => {
  const parsed = parseCsv(text);
  if ("error" in parsed) throw new Error(parsed.error);
  return parsed.records.map((r) => r.fields);
};

/** A field as RFC 4180 writes it: quoted when it holds a comma, a quote or a line break. */
const written = (field: string) => (/[",\r\n]/.test(field) ? `"${field.replaceAll('"', '""')}"` : field);

describe("CSV parsing (RFC 4180)", () => {
  it("reads fields and records, with CRLF, LF or CR line breaks and no record for the last line break", () => {
    expect(fieldsOf("a,b,c\r\n1,2,3\r\n")).toEqual([
      ["a", "b", "c"],
      ["1", "2", "3"],
    ]);
    expect(fieldsOf("a,b\n1,2")).toEqual([
      ["a", "b"],
      ["1", "2"],
    ]);
    expect(fieldsOf("a\r1\r")).toEqual([["a"], ["1"]]);
    expect(fieldsOf("")).toEqual([]);
  });

  it("keeps empty fields and blank lines as they are", () => {
    expect(fieldsOf("a,,c\n\n,\n")).toEqual([["a", "", "c"], [""], ["", ""]]);
  });

  it("reads quoted fields with commas, doubled quotes and line breaks", () => {
    expect(fieldsOf('id,note\n1,"Said ""no"", twice"\n2,"two\r\nlines"\n3,""\n')).toEqual([
      ["id", "note"],
      ["1", 'Said "no", twice'],
      ["2", "two\r\nlines"],
      ["3", ""],
    ]);
  });

  it("numbers each record by the line it starts on", () => {
    const parsed = parseCsv('a\n"x\ny"\nb\n');
    expect("records" in parsed && parsed.records.map((r) => r.line)).toEqual([1, 2, 4]);
  });

  it("refuses a quote it would have to guess about, naming the line", () => {
    expect(parseCsv('a\nb"c\n')).toEqual({ error: expect.stringMatching(/^Line 2: a quote inside a field/) });
    expect(parseCsv('a\n"open\n')).toEqual({ error: "Line 2: a quoted field is never closed." });
    expect(parseCsv('a\n"x"y\n')).toEqual({ error: "Line 2: a closing quote must be followed by a comma or the end of the line." });
  });

  it("reads back whatever it is given, written the RFC's way", () => {
    const record = fc.array(fc.string({ unit: "grapheme-ascii" }), { minLength: 2, maxLength: 5 });
    fc.assert(
      fc.property(fc.array(record, { minLength: 1, maxLength: 10 }), (records) => {
        const text = records.map((r) => r.map(written).join(",")).join("\r\n");
        expect(fieldsOf(text)).toEqual(records);
      }),
    );
  });
});
