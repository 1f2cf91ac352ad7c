/**
 * Whether PostgreSQL refused the data itself (SQLSTATE class 22, "data exception"), which no retry
 * will fix, as opposed to a lost connection or a timeout, which a retry will.
 */
export function isDataError(error: unknown): boolean {
  for (let e: unknown = error; e && typeof e === "object"; e = (e as { cause?: unknown }).cause) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === "string" && code.startsWith("22")) return true;
  }
  return false;
}
