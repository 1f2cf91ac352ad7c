import { expect, test } from "@playwright/test";
import { joinOffer, listApprovedOffer, recordTestConversion, staffPage, visitorContext, watchHydration } from "./helpers";

test("a merchant rejects a conversion with a reason and a note, and the publisher reads both on its page", async ({ page, browser }) => {
  const staffView = await staffPage(browser);
  const merchantMismatches = watchHydration(page);
  const stamp = Date.now();
  const merchantName = `Trail Outfitters ${stamp}`;
  const publisherName = `Summit Reviews ${stamp}`;
  const offerTitle = `Ultralight tents ${stamp}`;

  const merchantEmail = await listApprovedOffer(page, staffView, {
    merchantName,
    offer: {
      title: offerTitle,
      description: "Tents under a kilo, for long trails.",
      landingUrl: "https://shop.review-e2e.example/tents",
      niche: "Outdoors",
      ratePercent: "8",
    },
  });

  const publisherContext = await visitorContext(browser);
  const publisher = await publisherContext.newPage();
  const publisherMismatches = watchHydration(publisher);
  await joinOffer(publisher, staffView, page, { publisherName, offerTitle });

  let conversionPath = "";
  await test.step("the merchant's test tool records a conversion", async () => {
    conversionPath = `/app/conversions/${await recordTestConversion(page, `TENT-${stamp}`, "320.00")}`;
  });

  const note = "The customer returned the tent unused; refunded in full.";
  await test.step("the merchant rejects it with a reason and a note", async () => {
    await page.waitForLoadState("networkidle");
    const reject = page.getByRole("button", { name: "Reject", exact: true });
    await reject.click();
    await expect(page.getByText("Choose a reason from the list")).toBeVisible();
    await page.getByLabel("Reason").selectOption({ label: "Order returned" });
    await page.getByLabel("Note for the publisher (optional)").fill(note);
    await reject.click();
    await expect(page.getByText("The conversion is rejected.")).toBeVisible();
    const history = page.getByRole("list", { name: "Conversion history" });
    await expect(history.getByText("Pending → Rejected")).toBeVisible();
    await expect(history.getByText(merchantEmail)).toBeVisible();
  });

  await test.step("the publisher sees the reason and the note, and the merchant by role", async () => {
    await publisher.goto(conversionPath);
    await expect(publisher.getByRole("heading", { name: `Order TENT-${stamp}` })).toBeVisible();
    // The Decision card: the reason and the note, as the merchant gave them.
    await expect(publisher.getByRole("definition").filter({ hasText: /^Order returned$/ })).toBeVisible();
    await expect(publisher.getByRole("definition").filter({ hasText: note })).toBeVisible();
    const history = publisher.getByRole("list", { name: "Conversion history" });
    await expect(history.getByText("Pending → Rejected")).toBeVisible();
    await expect(history.getByText(`Reason: Order returned`)).toBeVisible();
    await expect(history.getByText(`Note: ${note}`)).toBeVisible();
    await expect(history.getByText("Merchant", { exact: true })).toBeVisible();
    await expect(publisher.getByText(merchantEmail)).toHaveCount(0);
    await expect(publisher.getByRole("button", { name: "Reject", exact: true })).toHaveCount(0);
  });

  expect(merchantMismatches).toEqual([]);
  expect(publisherMismatches).toEqual([]);
  await publisherContext.close();
});
