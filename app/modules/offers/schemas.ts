import { z } from "zod";
import type { OfferCaps, OfferCreatives, OfferTerm } from "#db/schema";
import { httpsUrl, lines, list, rateText } from "~/lib/form-values";
import { COUNTRY_CODES } from "~/lib/countries";
import { TRAFFIC_SOURCES, type TrafficSource } from "../orgs/schemas";
import { currencySchema, isCurrency, parseAmount, parsePercent } from "~/lib/money";

export const PAYOUT_TYPES = { cps: "CPS: % of the sale", cpa: "CPA: flat per conversion", hybrid: "Hybrid: flat + % of the sale" } as const;
export const VISIBILITIES = {
  public: "Public: anyone can join",
  approval: "Requires approval",
  private: "Private: by invitation only",
} as const;
export const COUNTRY_MODES = { all: "All countries", include: "Only these countries", exclude: "All but these countries" } as const;

/** A whole number in range: coerced from a form's text, or (typed) as JSON carries it. */
const wholeNumber = (label: string, min: number, max: number, read: "form" | "json" = "form") =>
  (read === "form" ? z.coerce.number({ error: `${label} must be a whole number` }) : z.number({ error: `${label} must be a whole number` }))
    .int(`${label} must be a whole number`)
    .min(min, `${label} is at least ${min}`)
    .max(max, `${label} is at most ${max}`);
const offerTitle = z
  .string({ error: "Give the offer a title" })
  .trim()
  .min(4, "Use at least 4 characters")
  .max(120, "Use at most 120 characters");
const offerDescription = z
  .string({ error: "Describe the offer" })
  .trim()
  .min(20, "Write at least 20 characters")
  .max(10_000, "Use at most 10,000 characters");
const offerTermsText = z.string({ error: "Write the terms as text" }).trim().max(20_000, "Use at most 20,000 characters");
const visibility = z.enum(["public", "approval", "private"], { error: "Choose who can join" });

/**
 * The fields a REST API client may change on its own (names as the API spells them), checked as the
 * offer form checks them; numbers and booleans arrive typed, as JSON carries them.
 */
export const offerPatchSchema = z
  .object({
    title: offerTitle,
    description: offerDescription,
    landing_url: httpsUrl("The landing URL"),
    cookie_days: wholeNumber("The cookie window", 1, 365, "json"),
    validation_days: wholeNumber("The validation period", 0, 180, "json"),
    terms_and_conditions: offerTermsText,
    visibility,
    auto_approve: z.boolean({ error: "auto_approve is true or false" }),
    reapply_cooldown_days: wholeNumber("The re-apply cooldown", 0, 365, "json"),
  })
  .partial()
  .strict();
export type OfferPatch = z.output<typeof offerPatchSchema>;

/** The query parameter that carries the click id when the landing URL has no {click_id} macro. */
export const DEFAULT_CLICK_ID_PARAM = "click_id";

const optionalCap = z.preprocess((v) => (v === "" ? undefined : v), wholeNumber("A cap", 1, 10_000_000).optional());
const domain = z
  .string({ error: "Each deep-link domain must be a domain name like shop.example.com" })
  .max(253, "A domain name is at most 253 characters")
  .toLowerCase()
  .regex(/^(?!-)[a-z0-9-]{1,63}(\.[a-z0-9-]{1,63})+$/, "Each deep-link domain must be a domain name like shop.example.com");

const tierRow = z.object(
  { minConversions: rateText("number of conversions"), amount: rateText("amount"), percent: rateText("percentage") },
  { error: "Fill in each tier's conversions and rate" },
);
const termRow = z.object(
  {
    event: z
      .string({ error: "Name the event" })
      .max(32, "Use a short event name like sale or lead")
      .trim()
      .toLowerCase()
      .regex(/^[a-z][a-z0-9_]{1,31}$/, "Use a short event name like sale or lead"),
    type: z.enum(["cps", "cpa", "hybrid"], { error: "Choose a payout type" }),
    amount: rateText("amount"),
    percent: rateText("percentage"),
    tiers: list(tierRow, { max: 5, tooMany: "At most 5 tiers per event" }),
  },
  { error: "Fill in each event's name and payout" },
);

/** The offer form: text as a person types it, turned into minor units and basis points. */
export const offerFormSchema = z
  .object({
    title: offerTitle,
    description: offerDescription,
    landingUrl: httpsUrl("The landing URL"),
    // Left blank, the parameter keeps its usual name.
    clickIdParam: z
      .string({ error: "Name the click id parameter with letters, digits, _, - or ." })
      .trim()
      .max(40, "The click id parameter is at most 40 characters")
      .regex(/^[A-Za-z0-9_.-]*$/, "Use only letters, digits, _, - and . in the click id parameter")
      .optional()
      .transform((name) => name || DEFAULT_CLICK_ID_PARAM),
    deepLinkDomains: lines(domain, { max: 20, tooMany: "At most 20 deep-link domains" }),
    niches: list(z.string({ error: "Choose a niche from the list" }).max(60, "Choose a niche from the list"), {
      min: 1,
      tooFew: "Choose at least one niche",
      max: 5,
      tooMany: "Choose at most 5 niches",
    }),
    countryMode: z.enum(["all", "include", "exclude"], { error: "Choose where the offer runs" }),
    countries: list(z.enum(COUNTRY_CODES, { error: "Unknown country" }), { max: 249, tooMany: "Too many countries" }),
    trafficSources: list(z.enum(Object.keys(TRAFFIC_SOURCES) as [TrafficSource, ...TrafficSource[]], { error: "Unknown traffic source" }), {
      max: 20,
      tooMany: "Too many traffic sources",
    }),
    currency: currencySchema,
    terms: list(termRow, { min: 1, tooFew: "Add the payout for at least one event", max: 10, tooMany: "At most 10 events" }),
    cookieDays: wholeNumber("The cookie window", 1, 365),
    validationDays: wholeNumber("The validation period", 0, 180),
    offerDaily: optionalCap,
    offerMonthly: optionalCap,
    partnerDaily: optionalCap,
    partnerMonthly: optionalCap,
    termsAndConditions: offerTermsText.default(""),
    bannerUrls: lines(httpsUrl("Each banner"), { max: 20, tooMany: "At most 20 banners" }),
    textLinks: lines(z.string({ error: "Write each text link as text" }).max(500, "Each text link is at most 500 characters"), {
      max: 20,
      tooMany: "At most 20 text links",
    }),
    guidelines: z.string({ error: "Write the guidelines as text" }).trim().max(5000, "Use at most 5,000 characters").default(""),
    visibility,
    questions: lines(z.string({ error: "Write each question as text" }).max(500, "Each question is at most 500 characters"), {
      max: 5,
      tooMany: "At most 5 questions",
    }),
    autoApprove: z.preprocess((v) => v === "on" || v === "true" || v === true, z.boolean()),
    reapplyCooldownDays: wholeNumber("The re-apply cooldown", 0, 365),
  })
  .superRefine((form, ctx) => {
    if (form.countryMode !== "all" && form.countries.length === 0) {
      ctx.addIssue({ code: "custom", path: ["countries"], message: "Choose the countries" });
    }
    const seen = new Set<string>();
    form.terms.forEach((term, i) => {
      if (seen.has(term.event)) ctx.addIssue({ code: "custom", path: ["terms", i, "event"], message: "Each event can have one payout" });
      seen.add(term.event);
      checkRates(ctx, form.currency, term.type, term, ["terms", i]);
      let last = 0;
      term.tiers.forEach((tier, j) => {
        const min = Number(tier.minConversions);
        if (!Number.isInteger(min) || min < 1 || min <= last) {
          ctx.addIssue({
            code: "custom",
            path: ["terms", i, "tiers", j, "minConversions"],
            message: "Tiers start at increasing whole numbers of conversions (1 or more)",
          });
        }
        last = min;
        checkRates(ctx, form.currency, term.type, tier, ["terms", i, "tiers", j]);
      });
    });
  })
  .transform((form) => ({
    ...form,
    terms: form.terms.map((t): OfferTerm => ({
      event: t.event,
      type: t.type,
      ...rates(form.currency, t.type, t),
      tiers: t.tiers.map((tier) => ({ minConversions: Number(tier.minConversions), ...rates(form.currency, t.type, tier) })),
    })),
    caps: {
      offerDaily: form.offerDaily ?? null,
      offerMonthly: form.offerMonthly ?? null,
      partnerDaily: form.partnerDaily ?? null,
      partnerMonthly: form.partnerMonthly ?? null,
    } satisfies OfferCaps,
    creatives: {
      banners: form.bannerUrls.map((url) => ({ url, alt: "" })),
      textLinks: form.textLinks,
      guidelines: form.guidelines,
    } satisfies OfferCreatives,
    countries: form.countryMode === "all" ? [] : form.countries,
  }));

export type OfferInput = z.output<typeof offerFormSchema>;

type RateText = { amount?: string; percent?: string };

function checkRates(ctx: z.RefinementCtx, currency: string, type: OfferTerm["type"], row: RateText, path: (string | number)[]) {
  const needsAmount = type !== "cps";
  const needsPercent = type !== "cpa";
  const amountText = row.amount?.trim() ?? "";
  const percentText = row.percent?.trim() ?? "";
  // An unknown currency has its own error; amounts in it cannot be read.
  if (needsAmount && isCurrency(currency)) {
    const amount = parseAmount(amountText, currency);
    const message = amountText === "" || amount.value === 0 ? `Enter a flat amount in ${currency}, like 25.00` : amount.error;
    if (message !== null) ctx.addIssue({ code: "custom", path: [...path, "amount"], message });
  } else if (!needsAmount && amountText !== "")
    ctx.addIssue({ code: "custom", path: [...path, "amount"], message: "A CPS payout has no flat amount" });
  if (needsPercent) {
    const percent = parsePercent(percentText);
    const message = percentText === "" || percent.value === 0 ? "Enter a rate between 0.01 and 100 (percent)" : percent.error;
    if (message !== null) ctx.addIssue({ code: "custom", path: [...path, "percent"], message });
  } else if (percentText !== "") ctx.addIssue({ code: "custom", path: [...path, "percent"], message: "A CPA payout has no percentage" });
}

/** Run after checkRates passed, so every rate a type needs reads. */
function rates(currency: string, type: OfferTerm["type"], row: RateText) {
  return {
    flatMinor: type === "cps" ? null : parseAmount(row.amount ?? "", currency).value,
    bps: type === "cpa" ? null : parsePercent(row.percent ?? "").value,
  };
}
