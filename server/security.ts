const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/**
 * Browsers send Origin on every mutation; one that is neither the public origin (APP_URL) nor the
 * origin the request was addressed to (its Host), or none at all, is refused (CSRF). Behind a
 * TLS-terminating proxy the request arrives as http while the browser's Origin is APP_URL's https.
 */
export function isForeignMutation(request: Request, appOrigin: string): boolean {
  if (SAFE_METHODS.has(request.method)) return false;
  const origin = request.headers.get("origin");
  return !origin || (origin !== appOrigin && origin !== new URL(request.url).origin);
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

/**
 * The headers every response starts with, static files and the server's own error answers included;
 * a route that sets its own CSP or framing policy replaces them.
 */
export function securityHeaders(https: boolean): Record<string, string> {
  return https ? { ...BASELINE, "strict-transport-security": "max-age=31536000; includeSubDomains" } : BASELINE;
}
