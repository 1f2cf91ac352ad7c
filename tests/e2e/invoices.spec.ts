import { expect, test } from "@playwright/test";
import { convertAndApprove, followPublisherLink, joinOffer, listApprovedOffer, staffPage, visitorContext, watchHydration } from "./helpers";

const LANDING = "https://shop.invoice-e2e.example";

test("staff issue a merchant's invoice for an approved conversion and the merchant downloads it as a PDF", async ({ page, browser }) => {
  const staffView = await staffPage(browser);
  const merchantMismatches = watchHydration(page);
  const stamp = Date.now();
  const merchantName = `Fjord Knitwear ${stamp}`;
  const offerTitle = `Wool sweaters ${stamp}`;

  await listApprovedOffer(page, staffView, {
    merchantName,
    offer: {
      title: offerTitle,
      description: "Sweaters knitted from Norwegian wool.",
      landingUrl: `${LANDING}/sweaters`,
      niche: "Fashion",
      ratePercent: "10",
    },
  });
  const publisher = await (await visitorContext(browser)).newPage();
  await joinOffer(publisher, staffView, page, { publisherName: `Knit Picks ${stamp}`, offerTitle });

  let clickId = "";
  await test.step("a visitor follows the publisher's link", async () => {
    clickId = await followPublisherLink(browser, publisher, offerTitle, "203.0.113.77");
  });

  let conversionId = "";
  await test.step("the merchant's postback converts it and the merchant approves it", async () => {
    conversionId = await convertAndApprove(page, { clickId, orderId: `FK-${stamp}`, amount: "200.00" });
  });

  await test.step("staff issue the merchant's invoice now", async () => {
    await staffView.goto("/staff/organizations?kind=merchant");
    await staffView.getByRole("link", { name: merchantName }).click();
    await staffView.getByRole("button", { name: "Issue invoice now" }).click();
    await expect(staffView.getByText("Issued 1 invoice")).toBeVisible();
    await expect(staffView.getByRole("row").filter({ hasText: merchantName })).toContainText("Open");
  });

  await test.step("the merchant opens the invoice and downloads its PDF", async () => {
    await page.goto("/app/invoices");
    await page.getByRole("table").getByRole("link").first().click();
    await expect(page.getByRole("heading", { name: /^Invoice INV-\d{6}$/ })).toBeVisible();
    // The offer's line: 10 % of the $200.00 sale is the commission.
    await expect(page.getByRole("row").filter({ hasText: offerTitle })).toContainText("$20.00");
    const href = await page.getByRole("link", { name: "Download PDF" }).getAttribute("href");
    const pdf = await page.request.get(href!);
    expect(pdf.status()).toBe(200);
    expect(pdf.headers()["content-type"]).toBe("application/pdf");
    expect((await pdf.body()).subarray(0, 5).toString("latin1")).toBe("%PDF-");
    const csv = await page.request.get(`${new URL(page.url()).pathname}/csv`);
    expect(csv.headers()["content-type"]).toContain("text/csv");
    expect(await csv.text()).toContain(conversionId);
  });
  expect(merchantMismatches).toEqual([]);
});
