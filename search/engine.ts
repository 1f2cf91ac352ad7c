import type { Database } from "#db/client";
import { MeilisearchOfferSearch } from "./meilisearch";
import { PostgresOfferSearch } from "./postgres";
import type { OfferSearch } from "./types";

/** Meilisearch when MEILISEARCH_URL is set, else the PostgreSQL engine on the app's database. */
export function createOfferSearch(
  db: Database,
  config: { MEILISEARCH_URL?: string; MEILISEARCH_KEY?: string; MEILISEARCH_INDEX: string },
): OfferSearch {
  return config.MEILISEARCH_URL
    ? new MeilisearchOfferSearch({ host: config.MEILISEARCH_URL, apiKey: config.MEILISEARCH_KEY }, config.MEILISEARCH_INDEX)
    : new PostgresOfferSearch(db);
}
