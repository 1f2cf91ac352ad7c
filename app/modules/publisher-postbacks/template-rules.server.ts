import { isIP } from "node:net";
import { bareHostname, refusedAs } from "./addresses.server";
import { urlShapeProblem } from "./http-call.server";
import { fillTemplate, POSTBACK_MACROS, templateMacroProblems, type MacroValues } from "./macros";

const EXAMPLE = "https://tracker.example/postback?click={click_id}&payout={payout}";

const everyMacro = (value: string) => Object.fromEntries(POSTBACK_MACROS.map((m) => [m.name, value])) as MacroValues;

/**
 * Why a template cannot be saved, in a sentence for the form, or null. This is the early, friendly
 * check; the real guard is the check of the resolved address at call time (http-call.server.ts).
 * Macros may fill the path and the query only: filled two ways, the server the URL names must stay
 * the same, so no click's sub id can choose where the network connects.
 */
export function templateProblem(template: string, allowLoopback: boolean): string | null {
  if (/[\s\p{Cc}]/u.test(template)) return "An address has no spaces or line breaks: write a space as %20";
  const { unknown, strayBrace } = templateMacroProblems(template);
  if (unknown.length) {
    const names = unknown.map((name) => `{${name.slice(0, 40)}}`).join(", ");
    return `${names} ${unknown.length > 1 ? "are not macros" : "is not a macro"}: use the macros listed below`;
  }
  if (strayBrace) return "Use braces only around a macro, like {click_id}";
  const one = URL.parse(fillTemplate(template, everyMacro("x")));
  const other = URL.parse(fillTemplate(template, everyMacro("y")));
  if (!one || !other) return `Enter a full address, like ${EXAMPLE}`;
  const shape = urlShapeProblem(one) ?? urlShapeProblem(other);
  if (shape) return shape;
  if (one.origin !== other.origin) return "Put macros in the path or the query, not in the server's address";
  const host = bareHostname(one);
  const loopbackName = host === "localhost" || host.endsWith(".localhost");
  const refusal = isIP(host) ? refusedAs(host, allowLoopback) : loopbackName && !allowLoopback ? "a loopback address" : null;
  return refusal ? `${host} is ${refusal}: postbacks are only sent to public addresses` : null;
}
