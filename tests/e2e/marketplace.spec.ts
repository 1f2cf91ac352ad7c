import { expect, test } from "@playwright/test";
import {
  acceptTermsAndApply,
  approveApplication,
  approveOffer,
  approveOrganization,
  findInMarketplace,
  linkFromMailbox,
  onboard,
  staffPage,
  submitOffer,
  visitorContext,
  watchHydration,
} from "./helpers";

test("a merchant lists an offer, staff approves it, a publisher finds it by a misspelled niche, applies and is approved", async ({
  page,
  browser,
}) => {
  const staffView = await staffPage(browser);
  const merchantMismatches = watchHydration(page);
  const stamp = Date.now();
  const merchantName = `Fjord Gear ${stamp}`;
  const publisherName = `Peak Reviews ${stamp}`;
  const offerTitle = `Expedition tents ${stamp}`;

  await onboard(page, staffView, "Merchant", merchantName);
  await approveOrganization(staffView, merchantName);

  await test.step("merchant creates and submits the offer", async () => {
    await page.goto("/app/offers");
    await page.getByRole("link", { name: "New offer" }).click();
    await submitOffer(page, {
      title: offerTitle,
      description: "Four-season tents tested in **Svalbard**. Free returns within 60 days.",
      landingUrl: "https://fjordgear.example/tents",
      niche: "Outdoors & Adventure",
      ratePercent: "9.5",
    });
  });

  await test.step("staff approves the offer", async () => {
    await approveOffer(staffView, offerTitle);
    await expect(staffView.getByText("sale: 9.5%")).toBeVisible();
    await linkFromMailbox(staffView, "", `${offerTitle} is live on Switchboard`, "Open the offer");
  });

  const publisherContext = await visitorContext(browser);
  const publisher = await publisherContext.newPage();
  const publisherMismatches = watchHydration(publisher);
  await onboard(publisher, staffView, "Publisher", publisherName);
  await approveOrganization(staffView, publisherName);

  await test.step("publisher finds it by a misspelled niche word and filters by facet", async () => {
    await findInMarketplace(publisher, "outdor", offerTitle);
    await publisher.getByRole("navigation", { name: "Payout type" }).getByRole("link", { name: /CPS/ }).click();
    await expect(publisher).toHaveURL(/payoutType=cps/);
    await expect(publisher.getByRole("link", { name: offerTitle })).toBeVisible();
    await expect(publisher.getByRole("navigation", { name: "Payout type" }).getByRole("link", { name: /✓ CPS/ })).toBeVisible();
    await publisher.getByRole("link", { name: offerTitle }).click();
    await expect(publisher.getByRole("heading", { name: offerTitle })).toBeVisible();
    await expect(publisher.getByText("Svalbard")).toBeVisible();
  });

  await test.step("publisher applies", async () => {
    await publisher.getByLabel("Message to the merchant").fill("We review four-season gear for 80k readers.");
    await publisher.getByRole("button", { name: "Apply" }).click();
    await expect(publisher.getByText("I accept the offer's terms and conditions")).toBeVisible();
    await expect(publisher.getByText("Accept the offer's terms to apply.")).toBeVisible();
    await acceptTermsAndApply(publisher);
  });

  await test.step("merchant approves the application", async () => {
    await approveApplication(page, "We review four-season gear for 80k readers.");
  });

  await test.step("publisher sees the partnership, and every step's email is in the mailbox", async () => {
    await publisher.goto("/app/partnerships");
    const row = publisher.getByRole("row").filter({ hasText: offerTitle });
    await expect(row).toContainText("Active");
    await expect(row).toContainText("sale: 9.5%");
    await linkFromMailbox(staffView, "", `${publisherName} applied to ${offerTitle}`, "Open applications");
    await linkFromMailbox(staffView, "", `You are approved for ${offerTitle}`, "Open your partnerships");
  });
  expect(merchantMismatches).toEqual([]);
  expect(publisherMismatches).toEqual([]);
  await publisherContext.close();
});
