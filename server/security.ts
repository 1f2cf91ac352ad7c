const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/**
 * Browsers send Origin on every cross-site and same-site mutation; one that names another site, or
 * none at all, is refused (CSRF). Server-to-server endpoints are exempt by path.
 */
export function isForeignMutation(request: Request, allowedOrigins: ReadonlySet<string>): boolean {
  if (SAFE_METHODS.has(request.method)) return false;
  const origin = request.headers.get("origin");
  if (!origin) return true;
  return origin !== new URL(request.url).origin && !allowedOrigins.has(origin);
}

/** CSP for HTML documents: scripts only from this origin or with the request's nonce. */
export function documentCsp(nonce: string, dev: boolean): string {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}'`,
    // Tailwind's build emits a stylesheet; Vite's dev server injects <style> tags.
    dev ? "style-src 'self' 'unsafe-inline'" : "style-src 'self'",
    "img-src 'self' https: data:",
    dev ? "connect-src 'self' ws:" : "connect-src 'self'",
    "frame-src 'self'",
    "frame-ancestors 'none'",
    "form-action 'self'",
    "base-uri 'self'",
    "object-src 'none'",
  ].join("; ");
}

const BASELINE: Record<string, string> = {
  "content-security-policy": "default-src 'none'; frame-ancestors 'none'",
  "x-content-type-options": "nosniff",
  "referrer-policy": "strict-origin-when-cross-origin",
  "x-frame-options": "DENY",
  "cross-origin-opener-policy": "same-origin",
  "permissions-policy": "camera=(), microphone=(), geolocation=(), payment=()",
};

/** Every response gets the baseline; a route that set its own CSP or framing policy keeps it. */
export function applySecurityHeaders(headers: Headers, https: boolean) {
  for (const [name, value] of Object.entries(BASELINE)) {
    if (!headers.has(name)) headers.set(name, value);
  }
  if (https) headers.set("strict-transport-security", "max-age=31536000; includeSubDomains");
}
