import { isbot } from "isbot";

/** A click counted but never attributed: a known crawler or tool, or no user agent at all (no browser sends none). */
export function isBotUserAgent(userAgent: string | null | undefined): boolean {
  return userAgent == null || userAgent.trim() === "" || isbot(userAgent);
}
