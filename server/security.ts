const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/**
 * Browsers send Origin on every mutation; one that is not the origin the request was addressed to
 * (its Host), or none at all, is refused (CSRF). Remix makes the same check and would otherwise
 * answer it with a 500.
 */
export function isForeignMutation(request: Request): boolean {
  if (SAFE_METHODS.has(request.method)) return false;
  const origin = request.headers.get("origin");
  return !origin || origin !== new URL(request.url).origin;
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
