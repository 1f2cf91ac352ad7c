import type { Database } from "#db/client";
import type { OfferSearch } from "#search/types";
import type { Config } from "./config.server";
import type { SessionValidation } from "./modules/auth/sessions.server";
import type { TrackingEngine } from "./modules/tracking/engine-types";

declare module "@remix-run/node" {
  interface AppLoadContext {
    db: Database;
    config: Config;
    search: OfferSearch;
    /** The session and user the cookie names, resolved once per request by the server. */
    auth: SessionValidation | null;
    cspNonce: string;
    clientIp: string;
    /** The process's one tracking engine: link cache, click recorder and postbacks. */
    tracking: TrackingEngine;
  }
}
