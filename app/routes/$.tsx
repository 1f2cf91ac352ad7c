/**
 * Every path no other route claims: the app's not-found page, rendered through the document (with
 * its CSP nonce) by the root error boundary, for a GET and a form post alike.
 */
const notFound = () => new Response("There is no page at this address.", { status: 404 });

export function loader(): never {
  throw notFound();
}

export function action(): never {
  throw notFound();
}

/** Never rendered, since the loader always throws; a component makes this a page, not a resource route. */
export default function UnknownPath() {
  return null;
}
