import fc from "fast-check";
import { SESSION_COOKIE } from "~/modules/auth/sessions.server";
import type { FormFields, WireRequest } from "./route-harness";

/** About 1 MB of one character: past any column's limit, and past what a form should carry. */
const huge = fc.constantFrom("x", "é", "😀", "7").map((c) => c.repeat(1_000_000 / c.length));

const control = fc.string({ unit: fc.integer({ min: 0, max: 0x1f }).map((c) => String.fromCharCode(c)), minLength: 1, maxLength: 6 });

/** What a careless client or an attacker puts in a field: control characters, odd unicode, wrong types, paths and markup. */
export const hostileValue: fc.Arbitrary<string> = fc.oneof(
  { arbitrary: control, weight: 2 },
  { arbitrary: fc.constantFrom("\u0000", "a\u0000b", "x\r\nSet-Cookie: a=b", "line\nbreak", "\t", " ", ""), weight: 3 },
  { arbitrary: huge, weight: 2 },
  { arbitrary: fc.string({ unit: "grapheme", minLength: 1, maxLength: 30 }), weight: 1 },
  { arbitrary: fc.string({ unit: "binary", minLength: 1, maxLength: 30 }), weight: 1 },
  {
    arbitrary: fc.constantFrom(
      "\u202Egnp.exe",
      "e\u0301\u0301\u0301\u0301",
      "𝔘𝔫𝔦𝔠𝔬𝔡𝔢",
      "\uD800",
      "a\uDFFFb",
      "\uFEFF",
      "\u2028\u2029",
      "İı",
    ),
    weight: 1,
  },
  { arbitrary: fc.oneof(fc.integer().map(String), fc.double().map(String)), weight: 1 },
  {
    arbitrary: fc.constantFrom(
      "true",
      "null",
      "NaN",
      "Infinity",
      "-0",
      "1e309",
      "-1",
      "99999999999999999999999",
      "0x10",
      "[]",
      "{}",
      "__proto__",
      "constructor",
    ),
    weight: 2,
  },
  {
    arbitrary: fc.constantFrom(
      "//evil.example",
      "https://evil.example/x",
      "javascript:alert(1)",
      "/\\evil.example",
      "../../etc/passwd",
      "<script>x</script>",
      "'; select 1; --",
    ),
    weight: 1,
  },
);

/**
 * The shapes a field name can be given instead of the one the form uses: an object (`a.b`), a list
 * (`a[0]`, `a[]`), a far index, or the name sent twice.
 */
export type NameShape = "plain" | "repeated" | "dotted" | "indexed" | "brackets" | "far-index" | "dropped";
const nameShape = fc.constantFrom<NameShape>(
  "plain",
  "plain",
  "plain",
  "repeated",
  "dotted",
  "indexed",
  "brackets",
  "far-index",
  "dropped",
);

export type FieldEdit = { name: string; shape: NameShape; value: string; second: string };

export function fieldEdits(names: string[]): fc.Arbitrary<FieldEdit[]> {
  const unexpected = fc.constant("unexpected");
  const name = names.length
    ? fc.oneof({ arbitrary: fc.constantFrom(...names), weight: 6 }, { arbitrary: unexpected, weight: 1 })
    : unexpected;
  return fc.array(fc.record({ name, shape: nameShape, value: hostileValue, second: hostileValue }), { minLength: 1, maxLength: 2 });
}

/** The form with the edits applied, in order. */
export function editedForm(base: FormFields, edits: FieldEdit[]): FormFields {
  const form = { ...base };
  for (const { name, shape, value, second } of edits) {
    if (shape === "dropped") delete form[name];
    else if (shape === "plain") form[name] = value;
    else if (shape === "repeated") form[name] = [value, second];
    else if (shape === "dotted") form[`${name}.x`] = value;
    else if (shape === "indexed") form[`${name}[0]`] = value;
    else if (shape === "brackets") form[`${name}[]`] = [value, second];
    else form[`${name}[9999]`] = value;
  }
  return form;
}

export function urlEncoded(form: FormFields): string {
  const body = new URLSearchParams();
  for (const [name, value] of Object.entries(form)) for (const v of Array.isArray(value) ? value : [value]) body.append(name, v);
  return body.toString();
}

/** A whole request gone wrong, built from the page's URL and a form it accepts. */
export type RequestMutation = { label: string; build: (urls: { page: string; action: string }, form: FormFields) => WireRequest };

const post = (target: string, contentType: string | null, body: string | Buffer): WireRequest => ({
  method: "POST",
  target,
  headers: contentType ? { "content-type": contentType } : {},
  body,
});
const FORM = "application/x-www-form-urlencoded";
const withQuery = (target: string, query: string) => `${target}${target.includes("?") ? "&" : "?"}${query}`;

export const requestMutations: RequestMutation[] = [
  { label: "JSON body", build: ({ action: t }, f) => post(t, "application/json", JSON.stringify(f)) },
  { label: "text/plain body", build: ({ action: t }, f) => post(t, "text/plain", urlEncoded(f)) },
  { label: "no Content-Type", build: ({ action: t }, f) => post(t, null, urlEncoded(f)) },
  {
    label: "malformed multipart",
    build: ({ action: t }) => post(t, "multipart/form-data; boundary=edge", "--edge\r\nContent-Disposition: form-data\r\n\r\nhalf"),
  },
  { label: "multipart without boundary", build: ({ action: t }, f) => post(t, "multipart/form-data", urlEncoded(f)) },
  {
    label: "multipart with a file",
    build: ({ action: t }, f) => {
      const [name = "file"] = Object.keys(f);
      const part = `--edge\r\nContent-Disposition: form-data; name="${name}"; filename="a.txt"\r\nContent-Type: text/plain\r\n\r\nfile body\r\n--edge--\r\n`;
      return post(t, "multipart/form-data; boundary=edge", part);
    },
  },
  { label: "form in UTF-16", build: ({ action: t }, f) => post(t, `${FORM}; charset=utf-16`, Buffer.from(urlEncoded(f), "utf16le")) },
  {
    label: "invalid UTF-8 escapes in the body",
    build: ({ action: t }, f) => post(t, FORM, `${urlEncoded(f)}&${Object.keys(f)[0] ?? "a"}=%FF%ED%A0%80&b=%zz&%`),
  },
  { label: "oversize body (12 MB)", build: ({ action: t }, f) => post(t, FORM, `${urlEncoded(f)}&padding=${"a".repeat(12_000_000)}`) },
  {
    label: "invalid UTF-8 escapes in the query",
    build: ({ page: t }) => ({ method: "GET", target: withQuery(t, "redirectTo=%FF&q=%ED%A0%80&x=%") }),
  },
  { label: "Host [", build: ({ page: t }) => ({ method: "GET", target: t, host: "[" }) },
  { label: "Host with userinfo", build: ({ page: t }) => ({ method: "GET", target: t, host: "user:secret@switchboard.test" }) },
  { label: "empty Host", build: ({ page: t }) => ({ method: "GET", target: t, host: "" }) },
  { label: "Host with a bad port", build: ({ action: t }, f) => ({ ...post(t, FORM, urlEncoded(f)), host: "switchboard.test:99999" }) },
  { label: "TRACE", build: ({ page: t }) => ({ method: "TRACE", target: t }) },
  { label: "PUT", build: ({ action: t }, f) => ({ ...post(t, FORM, urlEncoded(f)), method: "PUT" }) },
  { label: "DELETE", build: ({ page: t }) => ({ method: "DELETE", target: t }) },
  { label: "OPTIONS", build: ({ page: t }) => ({ method: "OPTIONS", target: t }) },
  { label: "HEAD", build: ({ page: t }) => ({ method: "HEAD", target: t }) },
  { label: "POST without Origin", build: ({ action: t }, f) => ({ ...post(t, FORM, urlEncoded(f)), origin: null }) },
  { label: "POST from another origin", build: ({ action: t }, f) => ({ ...post(t, FORM, urlEncoded(f)), origin: "https://evil.example" }) },
  {
    label: "garbage session cookie",
    build: ({ page: t }) => ({ method: "GET", target: t, headers: { cookie: `${SESSION_COOKIE}=%ZZ%E0${"9".repeat(4000)}` } }),
  },
];
