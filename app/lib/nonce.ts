import { createContext, useContext } from "react";

/**
 * The request's CSP nonce, provided by entry.server for every document, error pages included (they
 * may render without any loader data). In the browser it is empty: browsers hide a nonce from the
 * DOM once applied, so an empty value is also what hydration finds there.
 */
export const NonceContext = createContext("");

export function useNonce(): string {
  return useContext(NonceContext);
}
