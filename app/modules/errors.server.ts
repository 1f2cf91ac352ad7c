/**
 * A rule of the domain said no. Routes turn it into a form error (field) or a 4xx page; it is never
 * a 500.
 */
export class DomainError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly field?: string,
    readonly status: 400 | 403 | 404 | 409 | 422 | 429 = 422,
  ) {
    super(message);
  }
}

export function notFound(what = "Not found"): DomainError {
  return new DomainError("not_found", what, undefined, 404);
}
