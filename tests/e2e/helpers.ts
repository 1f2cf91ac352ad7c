import { randomUUID } from "node:crypto";
import { expect, type Browser, type Page } from "@playwright/test";

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
 * waiting for the outbox worker to deliver it.
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

/** Staff approves an organization from its review page. */
export async function approveOrganization(staffView: Page, name: string) {
  await staffView.goto(`/staff/organizations?q=${encodeURIComponent(name)}`);
  await staffView.getByRole("link", { name }).click();
  await staffView.getByRole("button", { name: "Approve organization" }).click();
  await expect(staffView.getByText("the organization is now active")).toBeVisible();
}

/** Fills the sign-up form, on the page already open when it is the sign-up page (keeping its redirect). */
export async function signUp(page: Page, person: { name: string; email: string }) {
  if (new URL(page.url()).pathname !== "/signup") await page.goto("/signup");
  await page.getByLabel("Your name").fill(person.name);
  await page.getByLabel("Email").fill(person.email);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Create account" }).click();
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
  await signUp(page, { name: `${kind} Person`, email });
  await createOrganization(page, kind, orgName);
  await expect(page.getByRole("heading", { name: "Check your inbox" })).toBeVisible();
  const verify = await linkFromMailbox(staffView, email, "Confirm your email address", "Verify email");
  await page.goto(verify);
  return email;
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
