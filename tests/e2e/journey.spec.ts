import { expect, test } from "@playwright/test";
import { createOrganization, linkFromMailbox, onboard, signUp, staffPage, uniqueEmail, visitorContext, watchHydration } from "./helpers";

test("a merchant signs up, verifies, gets approved and brings a teammate; a publisher fills the profile", async ({ page, browser }) => {
  const staffView = await staffPage(browser);
  const mismatches = watchHydration(page);
  const merchantName = `Northwind ${Date.now()}`;

  await test.step("merchant signs up and verifies through the mailbox", async () => {
    await onboard(page, staffView, "Merchant", merchantName);
    await expect(page).toHaveURL(/\/app\?verified=1/);
    await expect(page.getByText("Your email address is verified.")).toBeVisible();
    await expect(page.getByText("The network team is reviewing your organization")).toBeVisible();
  });

  await test.step("merchant completes the profile", async () => {
    await page.getByRole("link", { name: "Profile", exact: true }).click();
    await page.getByLabel("Website").fill("https://northwind.example");
    await page.getByLabel("About your business").fill("Technical outdoor gear designed in Norway, shipped worldwide.");
    await page.getByRole("button", { name: "Save profile" }).click();
    await expect(page.getByText("Profile saved.")).toBeVisible();
  });

  await test.step("staff approves the organization from the review queue", async () => {
    await staffView.goto("/staff");
    await staffView.getByRole("link", { name: merchantName }).click();
    await expect(staffView.getByText("https://northwind.example")).toBeVisible();
    await staffView.getByRole("button", { name: "Approve organization" }).click();
    await expect(staffView.getByText("the organization is now active")).toBeVisible();
    await staffView.goto("/staff/audit?action=organization.approve");
    await expect(staffView.getByRole("row").filter({ hasText: "organization.approve" }).first()).toBeVisible();
  });

  await test.step("merchant sees an active dashboard and the approval email", async () => {
    await page.goto("/app");
    await expect(page.getByText("The network team is reviewing")).toHaveCount(0);
    await expect(page.getByText("Active", { exact: true }).first()).toBeVisible();
    await linkFromMailbox(staffView, "", `${merchantName} is approved on Switchboard`, "Open your dashboard");
  });

  const teammate = uniqueEmail("teammate");
  await test.step("merchant invites a teammate who accepts", async () => {
    await page.getByRole("link", { name: "Team", exact: true }).click();
    await page.getByLabel("Email").fill(teammate);
    await page.getByLabel("Role", { exact: true }).selectOption("admin");
    await page.getByRole("button", { name: "Send invitation" }).click();
    await expect(page.getByText("Invitation sent.")).toBeVisible();
    await expect(page.getByText(teammate)).toBeVisible();

    const accept = await linkFromMailbox(staffView, teammate, /invited you to/, "Accept invitation");
    const teammateContext = await visitorContext(browser);
    const teammatePage = await teammateContext.newPage();
    await teammatePage.goto(accept);
    await expect(teammatePage.getByRole("heading", { name: `Join ${merchantName}` })).toBeVisible();
    await teammatePage.getByRole("link", { name: "Create account" }).click();
    await expect(teammatePage.getByLabel("Email")).toHaveValue(teammate);
    await signUp(teammatePage, staffView, { name: "Tom Teammate", email: teammate });
    await teammatePage.getByRole("button", { name: "Accept invitation" }).click();
    await expect(teammatePage).toHaveURL(/\/app$/);
    await expect(teammatePage.getByRole("heading", { name: merchantName })).toBeVisible();
    await expect(teammatePage.getByText("your role: Admin")).toBeVisible();
    await teammateContext.close();

    await page.reload();
    await expect(page.getByRole("cell", { name: teammate })).toBeVisible();
  });

  await test.step("a publisher signs up and fills the profile", async () => {
    const publisherContext = await visitorContext(browser);
    const publisher = await publisherContext.newPage();
    await onboard(publisher, staffView, "Publisher", `Trail Blog ${Date.now()}`);
    await publisher.getByRole("link", { name: "Profile", exact: true }).click();
    await publisher.getByLabel("How you promote offers").fill("Long-form gear reviews and trip reports, 80k monthly readers.");
    await publisher.getByLabel("Website 1").fill("https://trailblog.example");
    await publisher.getByLabel("Platform 1").selectOption("youtube");
    await publisher.getByLabel("Channel URL 1").fill("https://youtube.com/@trailblog");
    await publisher.getByLabel("Outdoors & Adventure").check();
    await publisher.getByLabel("Travel & Hospitality").check();
    await publisher.getByLabel("Content site / blog").check();
    await publisher.getByLabel("Organic search (SEO)").check();
    await publisher.getByLabel("Country").selectOption("US");
    await publisher.getByRole("button", { name: "Save profile" }).click();
    await expect(publisher.getByText("Profile saved.")).toBeVisible();
    await publisher.reload();
    await expect(publisher.getByLabel("Outdoors & Adventure")).toBeChecked();
    await expect(publisher.getByLabel("Website 1")).toHaveValue("https://trailblog.example");
    await expect(publisher.getByLabel("Country")).toHaveValue("US");
    await publisherContext.close();
  });
  expect(mismatches).toEqual([]);
});

test("a user in two organizations switches between them", async ({ page, browser }) => {
  const staffView = await staffPage(browser);
  await onboard(page, staffView, "Merchant", `Shop ${Date.now()}`);
  await page.goto("/onboarding");
  await createOrganization(page, "Publisher", `Side Blog ${Date.now()}`);
  await expect(page).toHaveURL(/\/app\/profile/);
  const switcher = page.getByLabel("Organization");
  await expect(switcher.locator("option")).toHaveCount(2);
  const shop = await switcher.locator("option", { hasText: "(merchant)" }).getAttribute("value");
  await switcher.selectOption(shop!);
  await expect(page.getByText("Merchant dashboard")).toBeVisible();
});
