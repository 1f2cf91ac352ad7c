/** Where the REST API is served: every operation's path is below it. */
export const API_BASE = "/api/v1";

/** A request path the REST API answers: the base itself or anything below it. */
export function isApiPath(pathname: string): boolean {
  return pathname === API_BASE || pathname.startsWith(`${API_BASE}/`);
}
