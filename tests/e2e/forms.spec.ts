import { expect, test, type Page } from "@playwright/test";
import { PASSWORD, logIn, onboard, staffPage, uniqueEmail, visitorPage } from "./helpers";

// Without JavaScript every form posts to the server, so these check the server's own validation.
test.use({ javaScriptEnabled: false });

async function errorsShown(page: Page, ...messages: string[]) {
  for (const message of messages) await expect(page.getByText(message).first()).toBeVisible();
}

test("auth forms answer bad input with readable errors and write nothing", async ({ page, browser }) => {
  const email = uniqueEmail("bad");
  await page.goto("/signup");
  await page.getByLabel("Your name").fill("Bad Input");
  await page.getByLabel("Email").fill("not-an-email");
  await page.getByLabel("Password").fill("short");
  await page.getByRole("button", { name: "Create account" }).click();
  await errorsShown(page, "Enter a valid email address", "Use at least 10 characters");

  const response = await page.request.post("/signup", {
    form: { name: "X", email, password: "short" },
    headers: { origin: new URL(page.url()).origin },
  });
  expect(response.status()).toBe(422);
  const staffView = await staffPage(browser);
  await staffView.goto(`/staff/mailbox?to=${encodeURIComponent(email)}`);
  await expect(staffView.getByText("No email yet.")).toBeVisible();

  await page.goto("/login");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Log in" }).click();
  await errorsShown(page, "That email and password do not match an account.");

  await page.goto("/forgot-password");
  await page.getByLabel("Email").fill("nope");
  await page.getByRole("button", { name: "Send reset link" }).click();
  await errorsShown(page, "Enter a valid email address");

  await page.goto("/reset-password?token=forged");
  await page.getByLabel("New password").fill("short");
  await page.getByRole("button", { name: "Set new password" }).click();
  await errorsShown(page, "Use at least 10 characters");
  await page.getByLabel("New password").fill("a long enough passphrase");
  await page.getByRole("button", { name: "Set new password" }).click();
  await errorsShown(page, "This password reset link is invalid or has expired.");
});

test("organization, profile, team, account and staff forms refuse bad input and keep the data", async ({ page, browser }) => {
  const staffView = await staffPage(browser);
  const orgName = `Careful ${Date.now()}`;
  const email = await onboard(page, staffView, "Merchant", orgName);

  await page.goto("/onboarding");
  await page.getByRole("button", { name: "Create organization" }).click();
  await errorsShown(page, "Choose merchant or publisher", "Enter the organization's name");
  await page.goto("/app");
  await expect(page.getByLabel("Organization").locator("option")).toHaveCount(1);

  await page.goto("/app/profile");
  await page.getByLabel("Website").fill("https://careful.example");
  await page.getByLabel("About your business").fill("We sell carefully validated products.");
  await page.getByRole("button", { name: "Save profile" }).click();
  await expect(page.getByText("Profile saved.")).toBeVisible();
  await page.getByLabel("Website").fill("http://insecure.example");
  await page.getByLabel("About your business").fill("Too short");
  await page.getByRole("button", { name: "Save profile" }).click();
  await errorsShown(page, "Website must be a full https:// address", "Write at least 20 characters");
  await page.goto("/app/profile");
  await expect(page.getByLabel("Website")).toHaveValue("https://careful.example");

  await page.goto("/app/team");
  await page.getByLabel("Email").fill("bad-email");
  await page.getByRole("button", { name: "Send invitation" }).click();
  await errorsShown(page, "Enter a valid email address");
  await page.getByLabel("Email").fill(email);
  await page.getByRole("button", { name: "Send invitation" }).click();
  await errorsShown(page, "This person is already a member.");
  await expect(page.getByRole("heading", { name: "Open invitations" })).toHaveCount(0);

  await page.goto("/app/account");
  await page.getByLabel("Current password").fill("wrong password");
  await page.getByLabel("New password").fill("another long passphrase");
  await page.getByRole("button", { name: "Change password" }).click();
  await errorsShown(page, "Your current password is not correct.");
  await page.getByLabel("Name").fill("");
  await page.getByRole("button", { name: "Save", exact: true }).click();
  await errorsShown(page, "Enter your name");
  const again = await visitorPage(browser);
  await logIn(again, email, PASSWORD);

  await staffView.goto("/staff");
  await staffView.getByRole("link", { name: orgName }).click();
  await staffView.getByRole("button", { name: "Reject organization" }).click();
  await errorsShown(staffView, "Give a reason: the organization will read it.");
  await expect(staffView.getByText("In review").first()).toBeVisible();
});

test("a publisher profile without niches is refused", async ({ page, browser }) => {
  const staffView = await staffPage(browser);
  await onboard(page, staffView, "Publisher", `Nicheless ${Date.now()}`);
  await page.goto("/app/profile");
  await page.getByLabel("How you promote offers").fill("Reviews of everything under the sun, weekly.");
  await page.getByLabel("Website 1").fill("https://nicheless.example");
  await page.getByLabel("Country").selectOption("FR");
  await page.getByRole("button", { name: "Save profile" }).click();
  await errorsShown(page, "Choose at least one niche", "Choose at least one traffic source");
  await page.goto("/app/profile");
  await expect(page.getByLabel("Website 1")).toHaveValue("");
});

test("the offer form refuses a bad rate, a non-https URL, an unknown currency and a decimal comma, and saves nothing", async ({
  page,
  browser,
}) => {
  const staffView = await staffPage(browser);
  await onboard(page, staffView, "Merchant", `Strict ${Date.now()}`);
  await page.goto("/app/offers/new");
  await page.getByLabel("Title").fill("Broken offer");
  await page.getByLabel("Description (Markdown)").fill("An offer whose numbers do not add up at all.");
  await page.getByLabel("Landing URL").fill("http://insecure.example");
  await page.getByLabel("Travel & Hospitality").check();
  await page.getByLabel("Currency (ISO 4217)").fill("XYZ");
  await page.getByLabel("Event 1 rate (%)").fill("150");
  await page.getByLabel("Banner image URLs (one per line)").fill("https://cdn.example/ok.png\nhttp://cdn.example/insecure.png");
  await page.getByRole("button", { name: "Save draft" }).click();
  await errorsShown(
    page,
    "Each banner must be a full https:// address",
    "The landing URL must be a full https:// address",
    "Unknown currency: use an ISO 4217 code like USD",
    "Enter a percentage between 0 and 100",
  );
  await page.getByLabel("Currency (ISO 4217)").fill("EUR");
  await page.getByLabel("Event 1 payout type").selectOption("hybrid");
  await page.getByLabel("Event 1 flat amount").fill("12,50");
  await page.getByLabel("Event 1 rate (%)").fill("7.5");
  await page.getByRole("button", { name: "Save draft" }).click();
  await expect(page.getByLabel("Event 1 flat amount")).toHaveAccessibleDescription(
    "Use a dot for decimals, like 12.50; a comma may only separate thousands, as in 1,250.00",
  );
  await page.goto("/app/offers");
  await expect(page.getByText("No offers yet.")).toBeVisible();
});
