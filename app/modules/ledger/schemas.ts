import { z } from "zod";
import { readQueryFilters } from "~/lib/query-filters";
import { LEDGER_ACCOUNT_KIND_LABELS } from "~/lib/labels";

const kinds = Object.keys(LEDGER_ACCOUNT_KIND_LABELS) as (keyof typeof LEDGER_ACCOUNT_KIND_LABELS)[];

const balancesFields = {
  kind: z.enum(kinds, { error: "Choose an account kind from the list." }),
  currency: z
    .string()
    .trim()
    .toUpperCase()
    .regex(/^[A-Z]{3}$/, "A currency is a three-letter code, like USD."),
  organization: z.string().trim().max(100, "Search organization names with at most 100 characters."),
};

const postingsFields = {
  conversion: z.uuid({ error: "A conversion id looks like 3f2c8a51-0b7e-4c1d-9a6f-2e4b5c6d7e8f." }),
  account: z.coerce
    .number({ error: "An account id is a whole number." })
    .int("An account id is a whole number.")
    .positive("An account id is a whole number.")
    .max(Number.MAX_SAFE_INTEGER, "No ledger account has this id."),
  before: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER),
};

const postingsPaging = { cursor: "before", staleCursor: "That page link is out of date: showing the newest postings." } as const;

/** The balances page's filters, and a sentence for each that does not read. */
export const readBalancesFilter = (params: URLSearchParams) => readQueryFilters(balancesFields, params);
/** The postings page's filters; a stale page link starts again from the newest. */
export const readPostingsFilter = (params: URLSearchParams) => readQueryFilters(postingsFields, params, postingsPaging);
