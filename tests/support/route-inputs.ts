import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { FormFields } from "./route-harness";

/** The names a route reads, found on its page and in its source, and the forms its page posts. */
export type RouteInputs = { fields: string[]; query: string[]; forms: FormFields[] };

const root = fileURLToPath(new URL("../..", import.meta.url));

function decodeEntities(text: string) {
  return text
    .replaceAll("&quot;", '"')
    .replaceAll("&#x27;", "'")
    .replaceAll("&#39;", "'")
    .replaceAll("&lt;", "<")
    .replaceAll("&gt;", ">")
    .replaceAll("&amp;", "&");
}

function attributes(tag: string): Record<string, string> {
  const found: Record<string, string> = {};
  for (const [, name, value] of tag.matchAll(/\s([\w:-]+)(?:="([^"]*)")?/g)) found[name!.toLowerCase()] = decodeEntities(value ?? "");
  return found;
}

type Control = { kind: string; name: string; type?: string; value?: string; checked: boolean };

/** Each form of the page that submits to `path` (no action, or its own path), with its method and controls. */
function pageForms(html: string, path: string) {
  return [...html.matchAll(/<form\b([^>]*)>([\s\S]*?)<\/form>/g)].flatMap(([, tag, inner]) => {
    const form = attributes(tag!);
    const action = form.action ? new URL(form.action, `http://page${path}`).pathname : path;
    if (action !== path) return [];
    const controls = [...inner!.matchAll(/<(input|select|textarea|button)\b([^>]*)>/g)].flatMap(([, kind, tag]): Control[] => {
      const { name, type, value, checked } = attributes(tag!);
      return name ? [{ kind: kind!, name, type, value, checked: checked !== undefined }] : [];
    });
    return [{ method: (form.method ?? "get").toLowerCase(), controls }];
  });
}

/** Names the route's module reads by hand from the query string or the form data. */
function namesInSource(routeId: string) {
  const file = [".tsx", ".ts"].map((ext) => `${root}app/${routeId}${ext}`).find(existsSync);
  const source = file ? readFileSync(file, "utf8") : "";
  const read = (object: string) => [...source.matchAll(new RegExp(`${object}\\.(?:get|getAll|has)\\("([^"]+)"\\)`, "g"))].map((m) => m[1]!);
  return { query: read("searchParams"), fields: read("formData") };
}

/** `terms[0].tiers[0].amount` also names `terms`, `terms[0]`, `terms[0].tiers` and `terms[0].tiers[0]`. */
function withParents(name: string): string[] {
  const cuts = [...name.matchAll(/[.[]/g)].map((m) => m.index!);
  return [...cuts.filter((i) => i > 0).map((i) => name.slice(0, i)), name];
}

/**
 * What a route reads: field names from the forms its page posts back to it (and each submit button
 * as an intent), from the forms the tests already send it, and from its source; query names from
 * its GET forms, links to itself and its source.
 */
export function routeInputs(routeId: string, path: string, html: string, knownForms: FormFields[]): RouteInputs {
  const forms = pageForms(html, path);
  const pageBases = forms
    .filter((f) => f.method === "post")
    .flatMap((f) => {
      const fields: FormFields = {};
      for (const c of f.controls) if (c.kind !== "button" && (c.type !== "checkbox" || c.checked)) fields[c.name] = c.value ?? "";
      const buttons = f.controls.filter((c) => c.kind === "button" && c.value !== undefined);
      return buttons.length ? buttons.map((b) => ({ ...fields, [b.name]: b.value! })) : [fields];
    });
  const links = [...html.matchAll(/href="([^"]*)"/g)]
    .map(([, href]) => new URL(decodeEntities(href!), `http://page${path}`))
    .filter((url) => url.pathname === path);
  const source = namesInSource(routeId);
  const fields = [
    ...forms.filter((f) => f.method === "post").flatMap((f) => f.controls.map((c) => c.name)),
    ...knownForms.flatMap(Object.keys),
  ];
  const query = [
    ...forms.filter((f) => f.method === "get").flatMap((f) => f.controls.map((c) => c.name)),
    ...links.flatMap((url) => [...url.searchParams.keys()]),
    ...source.query,
  ];
  return {
    fields: [...new Set([...fields, ...source.fields].flatMap(withParents))].sort(),
    query: [...new Set(query)].sort(),
    forms: [...knownForms, ...pageBases],
  };
}
