/**
 * The macros a publisher's postback URL template may hold, and how a template is filled: the one
 * place both the deliveries and the page read them from (this module is also the browser's).
 */
export const POSTBACK_MACROS = [
  { name: "click_id", meaning: "The click id of the click that converted; empty for a coupon sale" },
  { name: "sub1", meaning: "Sub id 1 you put on your tracking link; empty when you did not" },
  { name: "sub2", meaning: "Sub id 2 of your tracking link" },
  { name: "sub3", meaning: "Sub id 3 of your tracking link" },
  { name: "sub4", meaning: "Sub id 4 of your tracking link" },
  { name: "sub5", meaning: "Sub id 5 of your tracking link" },
  { name: "order_id", meaning: "The merchant's order id" },
  { name: "event", meaning: "What the merchant reported, like sale or lead" },
  { name: "payout", meaning: "Your commission, a decimal in the offer's currency, like 12.50" },
  { name: "currency", meaning: "The offer's currency code, like USD" },
  { name: "status", meaning: "The conversion's status now: pending, approved, rejected or reversed" },
  { name: "conversion_id", meaning: "Switchboard's id of the conversion" },
] as const;

type MacroName = (typeof POSTBACK_MACROS)[number]["name"];
/** A value for each macro; null fills in as nothing. */
export type MacroValues = Record<MacroName, string | null>;

export const POSTBACK_TEMPLATE_MAX_LENGTH = 2000;

const MACRO_NAMES = new Set<string>(POSTBACK_MACROS.map((m) => m.name));
const BRACED = /\{([^{}]*)\}/g;

/** The template with each macro replaced by its value, URL-encoded, so a value never changes the URL's shape. */
export function fillTemplate(template: string, values: MacroValues): string {
  return template.replace(BRACED, (whole, name: string) =>
    MACRO_NAMES.has(name) ? encodeURIComponent(values[name as MacroName] ?? "") : whole,
  );
}

/** What in the template's braces is not a macro, and whether a brace is left unpaired. */
export function templateMacroProblems(template: string): { unknown: string[]; strayBrace: boolean } {
  const unknown = [...template.matchAll(BRACED)].map((m) => m[1]!).filter((name) => !MACRO_NAMES.has(name));
  const strayBrace = /[{}]/.test(template.replace(BRACED, ""));
  return { unknown: [...new Set(unknown)], strayBrace };
}
