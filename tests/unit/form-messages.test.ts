import { parseWithZod } from "@conform-to/zod/v4";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { z } from "zod";
import { feeFormSchema } from "~/modules/commissions/schemas";
import { customTermsSchema } from "~/modules/offers/custom-terms";
import { offerFormSchema } from "~/modules/offers/schemas";
import {
  changeRoleSchema,
  createOrganizationSchema,
  inviteSchema,
  merchantProfileSchema,
  publisherProfileSchema,
} from "~/modules/orgs/schemas";
import { assignCouponSchema, linkBuilderSchema, removeCouponSchema, testPostbackSchema } from "~/modules/tracking/schemas";

/** zod's own wording, which a person must never read next to a field. */
const LIBRARY_TEXT = /^(Invalid|Too (big|small)|Expected|Unrecognized)|expected .+, received/;

const offerTerms = [{ event: "sale", type: "cps" as const, flatMinor: null, bps: 800, tiers: [] }];

/** Every form schema of the modules, with the names its form submits. */
const forms: [string, z.ZodType, string[]][] = [
  ["offer", offerFormSchema, [...Object.keys(offerFormSchema.in.shape), "terms[0].event", "terms[0].amount", "terms[0].tiers[0].percent"]],
  ["fee", feeFormSchema, Object.keys(feeFormSchema.in.shape)],
  ["custom terms", customTermsSchema(offerTerms, "USD"), ["partnershipId", "amount[0]", "percent[0]"]],
  ["create organization", createOrganizationSchema, Object.keys(createOrganizationSchema.shape)],
  ["merchant profile", merchantProfileSchema, Object.keys(merchantProfileSchema.shape)],
  ["publisher profile", publisherProfileSchema, [...Object.keys(publisherProfileSchema.shape), "socialChannels[0].platform"]],
  ["invite", inviteSchema, Object.keys(inviteSchema.shape)],
  ["change role", changeRoleSchema, Object.keys(changeRoleSchema.shape)],
  ["link builder", linkBuilderSchema, Object.keys(linkBuilderSchema.shape)],
  ["coupon", assignCouponSchema, Object.keys(assignCouponSchema.shape)],
  ["coupon removal", removeCouponSchema, Object.keys(removeCouponSchema.shape)],
  ["test postback", testPostbackSchema, Object.keys(testPostbackSchema.shape)],
];

/** What a careless client or an attacker sends for one field: nothing, junk, too much, twice. */
const fieldValue = fc.oneof(
  fc.constant(undefined),
  fc.constantFrom("", " ", "x", "-1", "1.5", "on", "<b>", "https://", "USD"),
  fc.string({ maxLength: 20 }),
  fc.constant("x".repeat(3_000)),
  fc.array(fc.string({ maxLength: 5 }), { minLength: 2, maxLength: 3 }),
);

function formData(names: string[], values: (string | string[] | undefined)[]) {
  const data = new FormData();
  names.forEach((name, i) => {
    const value = values[i];
    for (const v of value === undefined ? [] : Array.isArray(value) ? value : [value]) data.append(name, v);
  });
  return data;
}

// Deliberately without ~/lib/zod-messages: the schemas must carry their own messages.
describe("form messages", () => {
  it.each(forms)("the %s form says what is wrong in its own words for any input", (_name, schema, names) => {
    fc.assert(
      fc.property(fc.array(fieldValue, { minLength: names.length, maxLength: names.length }), (values) => {
        const submission = parseWithZod(formData(names, values), { schema });
        const messages = submission.status === "error" ? Object.values(submission.error ?? {}).flat() : [];
        for (const message of messages) expect(message).not.toMatch(LIBRARY_TEXT);
      }),
      { numRuns: 150 },
    );
  });

  it("an offer with an empty landing URL says what to enter next to that field", () => {
    const data = new FormData();
    data.set("landingUrl", "");
    const submission = parseWithZod(data, { schema: offerFormSchema });
    expect(submission.status === "error" ? submission.error?.landingUrl : null).toEqual([
      "The landing URL must be a full https:// address",
    ]);
  });
});
