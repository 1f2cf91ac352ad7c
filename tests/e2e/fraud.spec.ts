import { expect, test } from "@playwright/test";
import {
  expectFitsPhone,
  followToLandingPage,
  joinOffer,
  listApprovedOffer,
  PERSON_USER_AGENT,
  PHONE,
  staffPage,
  visitorContext,
  watchHydration,
} from "./helpers";

test("a conversion seconds after its click is held, staff clear it from the fraud queue, and the publisher sees the outcome", async ({
  page,
  browser,
}) => {
  const staffView = await staffPage(browser);
  const staffMismatches = watchHydration(staffView);
  const stamp = Date.now();
  const merchantName = `Quick Kites ${stamp}`;
  const publisherName = `Sky Reviews ${stamp}`;
  const offerTitle = `Stunt kites ${stamp}`;
  const orderId = `QK-${stamp}`;

  await listApprovedOffer(page, staffView, {
    merchantName,
    offer: {
      title: offerTitle,
      description: "Dual-line stunt kites for the beach.",
      landingUrl: "https://shop.fraud-e2e.example/kites",
      niche: "Outdoors & Adventure",
      ratePercent: "10",
    },
  });

  const publisherContext = await visitorContext(browser);
  const publisher = await publisherContext.newPage();
  await joinOffer(publisher, staffView, page, { publisherName, offerTitle });

  await page.goto("/app/integration");
  await page.getByRole("button", { name: "Create a token" }).click();
  const token = await page.getByLabel("Postback token").inputValue();

  let conversionId = "";
  await test.step("a visitor clicks and the merchant's server reports the order at once: fraud screening holds it", async () => {
    await publisher.goto("/app/partnerships");
    await publisher.getByRole("row").filter({ hasText: offerTitle }).getByRole("link").first().click();
    const link = await publisher.getByLabel("Tracking link").inputValue();
    const visitor = await browser.newPage({ userAgent: PERSON_USER_AGENT, extraHTTPHeaders: { "x-forwarded-for": "203.0.113.61" } });
    const clickId = (await followToLandingPage(visitor, link)).searchParams.get("click_id") ?? "";
    await visitor.close();
    const response = await page.request.get(`/postback?token=${token}&click_id=${clickId}&order_id=${orderId}&amount=80.00`);
    expect(response.status()).toBe(201);
    conversionId = (await response.json()).conversion.id;
  });

  await test.step("staff find it in the fraud queue with its evidence, and clear it", async () => {
    await expect(async () => {
      await staffView.goto("/staff/fraud");
      await expect(staffView.getByRole("row").filter({ hasText: orderId })).toBeVisible({ timeout: 1000 });
    }).toPass({ timeout: 30_000 });
    const row = staffView.getByRole("row").filter({ hasText: orderId });
    await expect(row).toContainText(publisherName);
    await expect(row).toContainText("Converted too soon after the click");
    await row.getByRole("link").click();
    await expect(staffView.getByRole("heading", { name: `Order ${orderId}` })).toBeVisible();
    await expect(staffView.getByText(/Converted \d+ s after the click \(threshold 10 s\)\./)).toBeVisible();
    await expect(staffView.getByText("On hold for fraud review", { exact: true })).toBeVisible();

    await staffView.getByRole("button", { name: "Clear the hold" }).click();
    await expect(staffView.getByText("Write why the conversion is genuine: both sides read it")).toBeVisible();
    await staffView.getByLabel("Why it is genuine").fill("The merchant confirmed the order was paid and shipped.");
    await staffView.getByRole("button", { name: "Clear the hold" }).click();
    await expect(staffView.getByText("Cleared. It stays pending")).toBeVisible();
    await expect(staffView.getByText("Cleared by staff").first()).toBeVisible();
    await expect(staffView.getByRole("button", { name: "Clear the hold" })).toHaveCount(0);

    await staffView.setViewportSize(PHONE);
    await expectFitsPhone(staffView, `/staff/fraud/${conversionId}`);
    await staffView.goto("/staff/fraud");
    await expect(staffView.getByRole("row").filter({ hasText: orderId })).toHaveCount(0);
    await staffView.goto(`/staff/audit?action=conversion.fraud_cleared&targetId=${conversionId}`);
    await expect(staffView.getByRole("row").filter({ hasText: "conversion.fraud_cleared" })).toContainText("The merchant confirmed");
  });

  await test.step("the publisher's conversion stays pending, to be approved when its validation period ends", async () => {
    await publisher.goto(`/app/conversions/${conversionId}`);
    await expect(publisher.getByRole("heading", { name: `Order ${orderId}` })).toBeVisible();
    await expect(publisher.getByText("Pending").first()).toBeVisible();
  });

  expect(staffMismatches).toEqual([]);
  await publisherContext.close();
});
