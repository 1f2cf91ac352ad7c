import { readFile } from "node:fs/promises";
import { expect, test } from "@playwright/test";
import { convertAndApprove, followPublisherLink, joinOffer, listApprovedOffer, staffPage, visitorContext, watchHydration } from "./helpers";

const LANDING = "https://shop.payout-e2e.example";
const IBAN = "DE89370400440532013000";

test("staff run a payout, export it and mark it paid once the merchant paid its invoice; the publisher sees it paid", async ({
  page,
  browser,
}) => {
  const staffView = await staffPage(browser);
  const staffMismatches = watchHydration(staffView);
  const merchantMismatches = watchHydration(page);
  const stamp = Date.now();
  const merchantName = `Harbour Ceramics ${stamp}`;
  const publisherName = `Clay Notes ${stamp}`;
  const offerTitle = `Stoneware mugs ${stamp}`;

  await listApprovedOffer(page, staffView, {
    merchantName,
    offer: {
      title: offerTitle,
      description: "Mugs thrown and glazed by hand.",
      landingUrl: `${LANDING}/mugs`,
      niche: "Home & Garden",
      ratePercent: "10",
    },
  });
  const publisher = await (await visitorContext(browser)).newPage();
  const publisherMismatches = watchHydration(publisher);
  await joinOffer(publisher, staffView, page, { publisherName, offerTitle });

  let clickId = "";
  await test.step("a visitor follows the publisher's link", async () => {
    clickId = await followPublisherLink(browser, publisher, offerTitle, "203.0.113.78");
  });

  await test.step("the merchant's postback converts a $600.00 sale and the merchant approves it", async () => {
    await convertAndApprove(page, { clickId, orderId: `HC-${stamp}`, amount: "600.00" });
  });

  await test.step("staff issue the merchant's invoice; the publisher's $60.00 waits for the merchant's payment", async () => {
    await staffView.goto(`/staff/organizations?q=${encodeURIComponent(merchantName)}`);
    await staffView.getByRole("link", { name: merchantName }).click();
    await staffView.getByRole("button", { name: "Issue invoice now" }).click();
    await expect(staffView.getByText("Issued 1 invoice")).toBeVisible();

    await publisher.goto("/app/payouts");
    const awaiting = publisher.getByRole("row").filter({ hasText: merchantName });
    await expect(awaiting).toContainText("1 on an open invoice");
    await expect(awaiting).toContainText("$60.00");
  });

  await test.step("staff record the merchant's full payment", async () => {
    await staffView.getByRole("row").filter({ hasText: merchantName }).getByRole("link").first().click();
    await expect(staffView.getByRole("heading", { name: /^Invoice INV-\d{6}$/ })).toBeVisible();
    await staffView.waitForLoadState("networkidle");
    const open = (await staffView.getByText(/ is open\. Partial payments are fine\.$/).textContent()) ?? "";
    const openAmount = /^\$([\d,]+\.\d{2}) is open/.exec(open)?.[1];
    expect(openAmount, open).toBeTruthy();
    await staffView.getByLabel("Amount (USD)").fill(openAmount!);
    await staffView.getByLabel("Received on").fill(new Date().toISOString().slice(0, 10));
    await staffView.getByLabel("Reference").fill(`WIRE-${stamp}`);
    await staffView.getByRole("button", { name: "Record payment" }).click();
    await expect(staffView.getByText("Payment recorded and booked in the ledger.")).toBeVisible();
    await expect(staffView.getByRole("heading", { name: "Record a payment" })).toHaveCount(0);
  });

  await test.step("the publisher chooses a bank transfer, paid from the network minimum", async () => {
    await publisher.goto("/app/payouts/settings");
    await publisher.waitForLoadState("networkidle");
    await publisher.getByLabel("Method").selectOption("bank_transfer");
    await publisher.getByLabel("Account holder").fill("Clay Notes Ltd");
    await publisher.getByLabel("IBAN").fill("DE89 3704 0044 0532 0130 00");
    await publisher.getByLabel("Threshold in USD").fill("50.00");
    await publisher.getByRole("button", { name: "Save payout settings" }).click();
    await expect(publisher.getByText("Payout settings saved.")).toBeVisible();
    await expect(publisher.getByText("Clay Notes Ltd · IBAN")).toBeVisible();
    await expect(publisher.getByText(IBAN)).toHaveCount(0);
  });

  let payoutId = "";
  await test.step("staff run payouts and export the run as CSV", async () => {
    await staffView.goto("/staff/payouts");
    await staffView.waitForLoadState("networkidle");
    await staffView.getByRole("button", { name: "Run payouts" }).click();
    await expect(staffView.getByRole("heading", { name: /^Payout run of / })).toBeVisible();
    const row = staffView.getByRole("row").filter({ hasText: publisherName });
    await expect(row).toContainText("$60.00");
    await expect(row).toContainText("Bank transfer");
    await expect(row).toContainText("Pending");
    // The page shows the account masked; only the export carries it whole.
    await expect(row).not.toContainText(IBAN);

    const [download] = await Promise.all([staffView.waitForEvent("download"), staffView.getByRole("link", { name: "Export CSV" }).click()]);
    expect(download.suggestedFilename()).toMatch(/^payout-run-[0-9a-f]{8}\.csv$/);
    const csv = (await readFile((await download.path())!, "utf8")).trim().split(/\r?\n/);
    expect(csv[0]).toBe(
      "payout_id,publisher,method,amount,currency,account_holder,iban,account_number,routing_number,swift_bic,bank_name,paypal_email,instructions,reference",
    );
    const line = csv.find((l) => l.includes(publisherName));
    expect(line, csv.join("\n")).toBeTruthy();
    const cells = line!.split(",");
    payoutId = cells[0]!;
    expect(cells.slice(1, 7)).toEqual([publisherName, "Bank transfer", "60.00", "USD", "Clay Notes Ltd", IBAN]);
    expect(cells[13]).toBe(`Switchboard payout ${payoutId.slice(0, 8)}`);
  });

  await test.step("staff mark the payout paid with the bank's reference", async () => {
    const row = staffView.getByRole("row").filter({ hasText: publisherName });
    await row.getByText("Settle").click();
    await row.getByLabel("Payment reference").fill(`BATCH-${stamp}`);
    await row.getByRole("button", { name: `Mark the payout to ${publisherName} paid` }).click();
    await expect(staffView.getByText("Payout marked paid.")).toBeVisible();
    await expect(row).toContainText("Paid");
    await expect(row).toContainText(`Ref. BATCH-${stamp}`);
    await expect(row.getByText("Settle")).toHaveCount(0);
  });

  await test.step("the publisher sees the payout paid", async () => {
    await publisher.goto("/app/payouts");
    const history = publisher.getByRole("row").filter({ has: publisher.getByRole("link", { name: "Conversions" }) });
    await expect(history).toHaveCount(1);
    await expect(history).toContainText("$60.00");
    await expect(history).toContainText("Bank transfer");
    await expect(history).toContainText("Paid");
    // The balance moved from waiting for the merchant to paid: nothing waits any more.
    await expect(publisher.locator("dl > div").filter({ hasText: "Sent to you" })).toContainText("$60.00");
    await expect(publisher.getByRole("row").filter({ hasText: merchantName })).toHaveCount(0);
    await history.getByRole("link", { name: "Conversions" }).click();
    await expect(publisher).toHaveURL(new RegExp(`/app/payouts/${payoutId}$`));
    await expect(publisher.getByRole("heading", { name: "Payout of $60.00" })).toBeVisible();
    await expect(publisher.getByText(`BATCH-${stamp}`)).toBeVisible();
    await expect(publisher.getByRole("row").filter({ hasText: offerTitle })).toContainText(`HC-${stamp}`);
  });

  expect(staffMismatches).toEqual([]);
  expect(merchantMismatches).toEqual([]);
  expect(publisherMismatches).toEqual([]);
});
