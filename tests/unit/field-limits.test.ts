import { describe, expect, it } from "vitest";
import type { z } from "zod";
import { changePasswordSchema, logInSchema, resetPasswordSchema, signUpSchema } from "~/modules/auth/schemas";
import { feeFormSchema } from "~/modules/commissions/schemas";
import { offerFormSchema } from "~/modules/offers/schemas";
import { createOrganizationSchema, merchantProfileSchema, publisherProfileSchema } from "~/modules/orgs/schemas";
import {
  assignCouponSchema,
  linkBuilderSchema,
  rejectConversionSchema,
  reviewSelectionSchema,
  testPostbackSchema,
} from "~/modules/tracking/schemas";
import { offerForm } from "../support/offers";

const HUGE = "x".repeat(100_000);

/** Every path to a string in the form, so each can be replaced by an oversized one; `intent` is the hidden form switch, not text. */
function stringPaths(value: unknown, path: (string | number)[] = []): (string | number)[][] {
  if (typeof value === "string") return [path];
  if (Array.isArray(value)) return value.flatMap((v, i) => stringPaths(v, [...path, i]));
  if (value && typeof value === "object")
    return Object.entries(value)
      .filter(([k]) => k !== "intent")
      .flatMap(([k, v]) => stringPaths(v, [...path, k]));
  return [];
}

function withValue(form: unknown, path: (string | number)[], value: string): unknown {
  if (path.length === 0) return value;
  const [head, ...rest] = path;
  const copy = (Array.isArray(form) ? [...form] : { ...(form as object) }) as Record<string | number, unknown>;
  copy[head!] = withValue(copy[head!], rest, value);
  return copy;
}

/**
 * A value the schema keeps must be refused, with a message for people, not zod's own ("Too big:
 * expected string to have <=120 characters"). A checkbox may read any value as on.
 */
function expectReadableRefusal(schema: z.ZodType, form: unknown, path: (string | number)[]) {
  const result = schema.safeParse(withValue(form, path, HUGE));
  if (result.success) {
    expect(JSON.stringify(result.data), path.join(".")).not.toContain(HUGE);
    return;
  }
  const messages = result.error!.issues.filter((i) => i.path[0] === path[0]).map((i) => i.message);
  expect(messages.length, path.join(".")).toBeGreaterThan(0);
  for (const message of messages) expect(message, path.join(".")).not.toMatch(/^(Too big|Invalid)/);
}

describe("an oversized value in any text field", () => {
  it("is refused with a readable message in the offer form", () => {
    const form = { ...offerForm(), bannerUrls: "https://x.example/a.png", textLinks: "a link", questions: "why?" };
    for (const path of stringPaths(form)) expectReadableRefusal(offerFormSchema, form, path);
  });

  it("is refused with a readable message in the account, organization, fee and tracking forms", () => {
    const forms: [z.ZodType, Record<string, unknown>][] = [
      [signUpSchema, { name: "A", email: "a@example.com", password: "a long enough passphrase" }],
      [logInSchema, { email: "a@example.com", password: "p" }],
      [resetPasswordSchema, { token: "t", password: "a long enough passphrase" }],
      [changePasswordSchema, { currentPassword: "p", newPassword: "a long enough passphrase" }],
      [createOrganizationSchema, { kind: "merchant", name: "Acme" }],
      [merchantProfileSchema, { description: "We sell things." }],
      [publisherProfileSchema, { description: "A blog.", websites: ["https://a.example"], niches: ["outdoors"], country: "US" }],
      [feeFormSchema, { intent: "merchant", percent: "20", minimums: "USD 1", merchant: "acme" }],
      [linkBuilderSchema, { sub1: "a", sub2: "b", sub3: "c", sub4: "d", sub5: "e", url: "https://shop.example/x" }],
      [assignCouponSchema, { partnershipId: "6f1d3f8e-3c1a-4d2b-9a4e-2f3b5c6d7e8f", code: "SUMMER25" }],
      [testPostbackSchema, { partnershipId: "6f1d3f8e-3c1a-4d2b-9a4e-2f3b5c6d7e8f", orderId: "test-1", amount: "49.90", event: "sale" }],
      [rejectConversionSchema, { reason: "duplicate", note: "Ordered twice" }],
      [reviewSelectionSchema, { intent: "reject", ids: ["6f1d3f8e-3c1a-4d2b-9a4e-2f3b5c6d7e8f"], reason: "fraud", note: "Stolen card" }],
    ];
    for (const [schema, form] of forms) for (const path of stringPaths(form)) expectReadableRefusal(schema, form, path);
  });
});
