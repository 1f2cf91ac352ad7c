/**
 * The browser tells the server its time zone in a cookie, set by a one-line script on every app
 * page (the zone is the browser's to know; an HTTP request does not carry it). Reports read their
 * days in it; until the browser has set it (the first page ever loaded) they read UTC and say so.
 */
const TIME_ZONE_COOKIE = "sb_tz";

export const TIME_ZONE_SCRIPT = `document.cookie="${TIME_ZONE_COOKIE}="+encodeURIComponent(Intl.DateTimeFormat().resolvedOptions().timeZone)+";path=/;max-age=31536000;samesite=lax"`;

/** The zone the browser set in the cookie, unchecked (parseReportQuery checks it), or null. */
export function timeZoneCookie(request: Request): string | null {
  const header = request.headers.get("cookie") ?? "";
  const match = new RegExp(`(?:^|;\\s*)${TIME_ZONE_COOKIE}=([^;]{1,100})`).exec(header);
  if (!match) return null;
  try {
    return decodeURIComponent(match[1]!);
  } catch {
    return null;
  }
}
