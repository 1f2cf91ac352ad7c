/*
 * What a person reads for each stored enum value: one map per enum, used by every page, so no page
 * shows "pending_review" or "approval". The form option labels of payout types, visibilities,
 * country modes and traffic sources live with their schemas (app/modules/offers/schemas.ts,
 * app/modules/orgs/schemas.ts).
 */
export const ORGANIZATION_KIND_LABELS = { merchant: "Merchant", publisher: "Publisher" } as const;

export const ORGANIZATION_STATUS_LABELS = {
  pending_review: "In review",
  active: "Active",
  rejected: "Rejected",
  suspended: "Suspended",
} as const;

export const MEMBER_ROLE_LABELS = { owner: "Owner", admin: "Admin", member: "Member" } as const;

export const OFFER_STATUS_LABELS = {
  draft: "Draft",
  in_review: "In review",
  active: "Active",
  paused: "Paused",
  archived: "Archived",
} as const;

export const APPLICATION_STATUS_LABELS = {
  pending: "Pending",
  approved: "Approved",
  rejected: "Rejected",
  withdrawn: "Withdrawn",
} as const;

export const PARTNERSHIP_STATUS_LABELS = { invited: "Invited", active: "Active", paused: "Paused", ended: "Ended" } as const;

export const EMAIL_STATUS_LABELS = { pending: "Queued", sent: "Sent", failed: "Failed" } as const;

/** How a publisher joins a marketplace offer (private offers are not listed). */
export const APPROVAL_MODE_LABELS = { public: "Instant", approval: "Requires approval" } as const;

export const SOCIAL_PLATFORM_LABELS = {
  instagram: "Instagram",
  tiktok: "TikTok",
  youtube: "YouTube",
  x: "X (Twitter)",
  facebook: "Facebook",
  linkedin: "LinkedIn",
  pinterest: "Pinterest",
  twitch: "Twitch",
  other: "Other",
} as const;

export const PAYOUT_TYPE_NAMES = { cps: "CPS", cpa: "CPA", hybrid: "Hybrid" } as const;

export const CONVERSION_STATUS_LABELS = { pending: "Pending", approved: "Approved", rejected: "Rejected", reversed: "Reversed" } as const;

/**
 * Why a conversion does not earn or changed: the engine's attribution refusals, then the reasons a
 * merchant gives in the conversion lifecycle.
 */
export const CONVERSION_REASON_LABELS = {
  bot_click: "Bot click",
  cookie_expired: "Click older than the cookie window",
  offer_paused: "Offer paused",
  partnership_inactive: "Partnership not active",
  publisher_suspended: "Publisher suspended",
  cap_reached: "Conversion cap reached",
  country_excluded: "Country not allowed by the offer",
  returned: "Order returned",
  duplicate: "Duplicate order",
  fraud: "Fraud",
  cancelled: "Order cancelled",
  invalid: "Invalid order",
  test: "Test order",
  other: "Other reason",
} as const;

export const ATTRIBUTION_KIND_LABELS = { click: "Tracking link click", coupon: "Coupon code" } as const;

/** What the engine did with a postback, as its log records it: the result, or the error code it answered. */
export const POSTBACK_OUTCOME_LABELS = {
  recorded: "Conversion recorded",
  rejected: "Recorded as rejected",
  replayed: "Repeat of an earlier postback",
  refunded: "Refund applied",
  invalid_token: "Unknown postback token",
  unauthenticated: "No token or signature",
  invalid_signature: "Signature does not match",
  stale_signature: "Signature too old",
  unsigned_parameters: "Unsigned parameters",
  method_not_allowed: "Method not allowed",
  body_too_large: "Body too large",
  malformed_body: "Malformed body",
  unsupported_media_type: "Unsupported body type",
  invalid_parameters: "Invalid parameters",
  missing_attribution: "No click id or coupon",
  unknown_click: "Unknown click id",
  unknown_coupon: "Unknown coupon",
  unknown_order: "Unknown order",
  order_conflict: "Order id used with other data",
  currency_mismatch: "Wrong currency for the offer",
  unknown_event: "Event the offer does not pay for",
  invalid_amount: "Unreadable amount",
  amount_required: "Amount missing",
} as const;

export const POSTBACK_AUTHENTICATION_LABELS = {
  token: "Postback token",
  signature: "Signature",
  refused: "Refused",
  test_tool: "Test tool",
} as const;

/** The label of a value, or the value itself when it is not one the map knows (an old or unknown value). */
export function labelOf<M extends Record<string, string>>(labels: M, value: string): string {
  return Object.hasOwn(labels, value) ? labels[value as keyof M]! : value;
}
