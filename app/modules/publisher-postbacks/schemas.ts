import { z } from "zod";
import { formatCount } from "~/lib/counts";
import { POSTBACK_TEMPLATE_MAX_LENGTH } from "./macros";

/** How many deliveries the log shows a page. */
export const DELIVERY_PAGE_SIZE = 50;

/** A template for every offer (no offer) or for one; what is inside the braces is checked when it is saved. */
export const savePostbackSchema = z.object({
  offerId: z.uuid("Choose one of your offers, or all offers").optional(),
  urlTemplate: z
    .string({ error: "Enter the address to call, like https://tracker.example/postback?click={click_id}" })
    .trim()
    .min(1, "Enter the address to call, like https://tracker.example/postback?click={click_id}")
    .max(POSTBACK_TEMPLATE_MAX_LENGTH, `An address is at most ${formatCount(POSTBACK_TEMPLATE_MAX_LENGTH)} characters`),
});
export type SavePostbackInput = z.output<typeof savePostbackSchema>;

export const postbackIdSchema = z.object({ postbackId: z.uuid("Unknown postback") });

const deliveryId = z.coerce.number().int().min(1).max(Number.MAX_SAFE_INTEGER);

/**
 * The log page's query: `before` (the page cursor, a delivery id) and `delivery` (the one whose
 * attempts are shown). A value that does not read is left out, so an old link still shows the log.
 */
export function readDeliveryQuery(params: URLSearchParams): { before?: number; delivery?: number } {
  const read = (name: string) => {
    const parsed = deliveryId.safeParse(params.get(name)?.slice(0, 20) ?? undefined);
    return parsed.success ? parsed.data : undefined;
  };
  return { before: read("before"), delivery: read("delivery") };
}
