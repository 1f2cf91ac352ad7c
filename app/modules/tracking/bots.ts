import { isbot } from "isbot";

/** Distinct user agents remembered; real traffic repeats a few thousand strings, so this rarely refills. */
const REMEMBERED = 5000;
const verdicts = new Map<string, boolean>();

/** A click counted but never attributed: a known crawler or tool, or no user agent at all (no browser sends none). */
export function isBotUserAgent(userAgent: string | null | undefined): boolean {
  if (userAgent == null || userAgent.trim() === "") return true;
  let verdict = verdicts.get(userAgent);
  if (verdict === undefined) {
    // isbot runs a long regular expression; the same browser's string is asked about again and again.
    if (verdicts.size >= REMEMBERED) verdicts.clear();
    verdict = isbot(userAgent);
    verdicts.set(userAgent, verdict);
  }
  return verdict;
}
