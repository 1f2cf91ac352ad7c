import { randomUUID } from "node:crypto";
import { expect, test, type Browser, type Page } from "@playwright/test";

export const PASSWORD = "e2e passphrase 2026";
export const staff = { email: process.env.E2E_STAFF_EMAIL!, password: process.env.E2E_STAFF_PASSWORD! };

export function uniqueEmail(prefix: string) {
  return `${prefix}-${randomUUID().slice(0, 8)}@example.com`;
}

export async function logIn(page: Page, email: string, password: string) {
  await page.goto("/login");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Log in" }).click();
  await expect(page).not.toHaveURL(/\/login/);
}

let ipCounter = 0;

/**
 * A browser context that looks like its own visitor: the e2e server trusts X-Forwarded-For, so
 * per-IP limits (sign-ups) count each visitor apart, as they would on the real network.
 */
export function visitorContext(browser: Browser) {
  ipCounter++;
  return browser.newContext({ extraHTTPHeaders: { "x-forwarded-for": `198.51.100.${ipCounter % 250}` } });
}

export async function visitorPage(browser: Browser) {
  return (await visitorContext(browser)).newPage();
}

export async function staffPage(browser: Browser) {
  const page = await visitorPage(browser);
  await logIn(page, staff.email, staff.password);
  return page;
}

/**
 * Opens the newest email to the address in the staff mailbox and returns the URL of its button,
 * waiting for its delivery job to send it.
 */
export async function linkFromMailbox(staffView: Page, to: string, subject: string | RegExp, button: string) {
  await expect(async () => {
    await staffView.goto(`/staff/mailbox?to=${encodeURIComponent(to)}`);
    await expect(staffView.getByRole("row").filter({ hasText: subject }).first().getByText("sent")).toBeVisible({ timeout: 1000 });
  }).toPass({ timeout: 15_000 });
  await staffView.getByRole("link", { name: subject }).first().click();
  const frame = staffView.frameLocator('iframe[title="Email content"]');
  const href = await frame.getByRole("link", { name: button }).getAttribute("href");
  expect(href).toBeTruthy();
  return href!;
}

/**
 * Fills the sign-up form, on the page already open when it is the sign-up page, waits for the
 * verification email (the account is created by a background job, a moment after the answer), then
 * logs in through the link the answer offers (keeping the sign-up page's redirect): sign-up itself
 * opens no session.
 */
export async function signUp(page: Page, staffView: Page, person: { name: string; email: string }) {
  if (new URL(page.url()).pathname !== "/signup") await page.goto("/signup");
  await page.getByLabel("Your name").fill(person.name);
  await page.getByLabel("Email").fill(person.email);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page.getByRole("heading", { name: "Check your email" })).toBeVisible();
  await linkFromMailbox(staffView, person.email, "Confirm your email address", "Verify email");
  await page.getByRole("link", { name: "Log in" }).click();
  await page.getByLabel("Email").fill(person.email);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Log in" }).click();
  await expect(page).not.toHaveURL(/\/login/);
}

export async function createOrganization(page: Page, kind: "Merchant" | "Publisher", name: string) {
  await expect(page.getByRole("heading", { name: "Set up your organization" })).toBeVisible();
  await page.getByText(kind, { exact: true }).click();
  await page.getByLabel("Organization name").fill(name);
  await page.getByRole("button", { name: "Create organization" }).click();
}

/** Signs a new user up with an organization and verifies the address through the staff mailbox. */
export async function onboard(
  page: Page,
  staffView: Page,
  kind: "Merchant" | "Publisher",
  orgName: string,
  email = uniqueEmail(kind.toLowerCase()),
) {
  await signUp(page, staffView, { name: `${kind} Person`, email });
  await page.goto("/onboarding");
  await createOrganization(page, kind, orgName);
  await expect(page.getByRole("heading", { name: "Check your inbox" })).toBeVisible();
  const verify = await linkFromMailbox(staffView, email, "Confirm your email address", "Verify email");
  await page.goto(verify);
  return email;
}

export async function approveOrganization(staffView: Page, name: string) {
  await staffView.goto(`/staff/organizations?q=${encodeURIComponent(name)}`);
  await staffView.getByRole("link", { name }).click();
  await staffView.getByRole("button", { name: "Approve organization" }).click();
  await expect(staffView.getByText("the organization is now active")).toBeVisible();
}

export type OfferFields = { title: string; description: string; landingUrl: string; niche: string; ratePercent: string };

/** Fills the new-offer form already open: one niche, one sale term at the rate. */
async function fillOfferForm(page: Page, offer: OfferFields) {
  await page.getByLabel("Title").fill(offer.title);
  await page.getByLabel("Description (Markdown)").fill(offer.description);
  await page.getByLabel("Landing URL").fill(offer.landingUrl);
  await page.getByLabel(offer.niche).check();
  await page.getByLabel("Event 1 rate (%)").fill(offer.ratePercent);
}

/** Fills the new-offer form with a 10% sale rate and saves the draft; returns the offer's path. */
export async function saveDraftOffer(page: Page, title: string, visibility: "public" | "approval" | "private" = "approval") {
  await page.goto("/app/offers/new");
  await page.waitForLoadState("networkidle");
  await fillOfferForm(page, {
    title,
    description: "Monthly boxes of small-batch coffee, roasted to order.",
    landingUrl: "https://owner.example/boxes",
    niche: "Food & Drink",
    ratePercent: "10",
  });
  await page.getByLabel("Visibility").selectOption(visibility);
  await page.getByRole("button", { name: "Save draft" }).click();
  await expect(page.getByText("Draft saved.")).toBeVisible();
  return new URL(page.url()).pathname;
}

/** Fills the new-offer form already open, saves the draft and submits it for review. */
export async function submitOffer(page: Page, offer: OfferFields) {
  await fillOfferForm(page, offer);
  await page.getByRole("button", { name: "Save draft" }).click();
  await expect(page.getByText("Draft saved.")).toBeVisible();
  await page.getByRole("button", { name: "Submit for review" }).click();
  await expect(page.getByText("Submitted: the network team will review the offer.")).toBeVisible();
}

/** Staff opens the offer from the review queue and approves it; its page stays open. */
export async function approveOffer(staffView: Page, title: string) {
  await staffView.goto("/staff/offers");
  await staffView.getByRole("link", { name: title }).click();
  await staffView.getByRole("button", { name: "Approve offer" }).click();
  await expect(staffView.getByText("the offer is now active")).toBeVisible();
}

/** Searches the marketplace until the offer is listed: the search index takes it a moment after approval. */
export async function findInMarketplace(publisher: Page, query: string, title: string) {
  await expect(async () => {
    await publisher.goto(`/app/marketplace?q=${encodeURIComponent(query)}`);
    await expect(publisher.getByRole("link", { name: title })).toBeVisible({ timeout: 1000 });
  }).toPass({ timeout: 15_000 });
}

/** On the offer's page: accepts its terms and applies. */
export async function acceptTermsAndApply(publisher: Page) {
  await publisher.getByLabel("I accept the offer's terms and conditions").check();
  await publisher.getByRole("button", { name: "Apply" }).click();
  await expect(publisher.getByText("Application sent.")).toBeVisible();
}

/** The merchant approves its one pending application, after checking it shows `showing` when given. */
export async function approveApplication(page: Page, showing?: string) {
  await page.goto("/app/applications");
  if (showing) await expect(page.getByText(showing)).toBeVisible();
  await page.getByRole("button", { name: "Approve", exact: true }).click();
  await expect(page.getByText("Saved. The publisher was emailed.")).toBeVisible();
}

/**
 * A new merchant, approved, lists the offer and staff approve it: the page stays the merchant's, the
 * staff view on the offer. Returns the merchant's email.
 */
export async function listApprovedOffer(
  page: Page,
  staffView: Page,
  { merchantName, offer }: { merchantName: string; offer: OfferFields },
) {
  const email = await onboard(page, staffView, "Merchant", merchantName);
  await approveOrganization(staffView, merchantName);
  await test.step("merchant lists the offer and staff approves it", async () => {
    await page.goto("/app/offers/new");
    await page.waitForLoadState("networkidle");
    await submitOffer(page, offer);
    await approveOffer(staffView, offer.title);
  });
  return email;
}

/**
 * A new publisher, on the page given (its context and watchers are the caller's), is approved, finds
 * the offer in the marketplace and applies, and the merchant approves the application.
 */
export async function joinOffer(
  publisher: Page,
  staffView: Page,
  merchant: Page,
  { publisherName, offerTitle }: { publisherName: string; offerTitle: string },
) {
  await onboard(publisher, staffView, "Publisher", publisherName);
  await approveOrganization(staffView, publisherName);
  await test.step("publisher applies and the merchant approves", async () => {
    await findInMarketplace(publisher, offerTitle, offerTitle);
    await publisher.getByRole("link", { name: offerTitle }).click();
    await acceptTermsAndApply(publisher);
    await approveApplication(merchant);
  });
}

/**
 * Collects the URLs where React reported a hydration mismatch; a mismatch re-renders the page on the
 * client and throws away what the person typed.
 */
export function watchHydration(page: Page) {
  const mismatches: string[] = [];
  page.on("console", (message) => {
    if (message.type() === "error" && /Minified React error #(418|419|423|425)|hydrat/i.test(message.text())) mismatches.push(page.url());
  });
  return mismatches;
}

/** A person's browser: headless Chromium names itself HeadlessChrome, which isbot rightly calls a bot. */
export const PERSON_USER_AGENT = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0 Safari/537.36";

/**
 * Follows a tracking link as a visitor's browser: the app's real answer is fetched, and its 302 must
 * point at the merchant's landing page, which the test serves in its place (this machine has no
 * outside network, and Chromium does not hand a redirect's target to a route handler). Returns where
 * the app sent the visitor.
 */
export async function followToLandingPage(page: Page, link: string) {
  let location = "";
  await page.context().route(
    (url) => url.pathname.startsWith("/c/"),
    async (route) => {
      const answer = await route.fetch({ maxRedirects: 0 });
      expect(answer.status()).toBe(302);
      expect(answer.headers()["cache-control"]).toBe("no-store");
      location = answer.headers()["location"] ?? "";
      await route.fulfill({ contentType: "text/html", body: "<!doctype html><title>Landing</title><h1>Welcome to the shop</h1>" });
    },
  );
  await page.goto(link);
  await expect(page.getByRole("heading", { name: "Welcome to the shop" })).toBeVisible();
  return new URL(location);
}

/** A phone's viewport: every page must fit it. */
export const PHONE = { width: 390, height: 844 };

/** The page is no wider than the phone: nothing sticks out sideways (a wide table scrolls in its own box). */
export async function expectFitsPhone(page: Page, path: string) {
  await page.goto(path);
  await expect(page.locator("main")).toBeVisible();
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  expect(width, `${path} is ${width}px wide`).toBeLessThanOrEqual(PHONE.width);
  await expect(page.getByRole("button", { name: "Log out" })).toBeInViewport();
}

/**
 * The merchant's integration test tool records a test conversion (a real click and postback through
 * the engine); the merchant is left on its page. Returns the conversion's id.
 */
export async function recordTestConversion(merchant: Page, orderId: string, saleAmount: string) {
  await merchant.goto("/app/integration");
  await merchant.getByLabel("Order id").fill(orderId);
  await merchant.getByLabel("Sale amount, in the offer's currency").fill(saleAmount);
  await merchant.getByRole("button", { name: "Send a test postback" }).click();
  await expect(merchant.getByText("Conversion recorded: pending")).toBeVisible();
  await merchant.getByRole("link", { name: "Open it" }).click();
  await expect(merchant.getByRole("heading", { name: `Order ${orderId}` })).toBeVisible();
  return new URL(merchant.url()).pathname.split("/").pop()!;
}

/**
 * A shopper (a browser's user agent, from `ip`) follows the publisher's tracking link for the offer
 * to the landing page. Returns the click id the landing page received.
 */
export async function followPublisherLink(browser: Browser, publisher: Page, offerTitle: string, ip: string) {
  await publisher.goto("/app/partnerships");
  await publisher.getByRole("row").filter({ hasText: offerTitle }).getByRole("link").first().click();
  const link = await publisher.getByLabel("Tracking link").inputValue();
  const visitor = await browser.newPage({ userAgent: PERSON_USER_AGENT, extraHTTPHeaders: { "x-forwarded-for": ip } });
  const landed = await followToLandingPage(visitor, link);
  await visitor.close();
  return landed.searchParams.get("click_id") ?? "";
}

/**
 * The merchant creates a postback token, reports a USD sale for the click, and approves the
 * conversion once fraud screening has seen it. Returns the conversion's id.
 */
export async function convertAndApprove(merchant: Page, sale: { clickId: string; orderId: string; amount: string }) {
  await merchant.goto("/app/integration");
  await merchant.getByRole("button", { name: "Create a token" }).click();
  // An order reported within 10 s of its click is held for fraud review: this shopper took longer.
  await merchant.waitForTimeout(10_500);
  const token = await merchant.getByLabel("Postback token").inputValue();
  const response = await merchant.request.get(
    `/postback?token=${token}&click_id=${sale.clickId}&order_id=${sale.orderId}&amount=${sale.amount}&currency=USD`,
  );
  expect(response.status()).toBe(201);
  const conversionId: string = (await response.json()).conversion.id;
  // Fraud screening runs in the background a moment after the postback; approving waits for it.
  await expect(async () => {
    await merchant.goto(`/app/conversions/${conversionId}`);
    await merchant.waitForLoadState("networkidle");
    await merchant.getByRole("button", { name: "Approve now" }).click();
    await expect(merchant.getByText("The conversion is approved.")).toBeVisible({ timeout: 1000 });
  }).toPass({ timeout: 20_000 });
  return conversionId;
}
