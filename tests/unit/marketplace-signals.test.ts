import { describe, expect, it } from "vitest";
import { allNewText, decisionDays, formatDays, thresholdText } from "~/lib/marketplace-signals";

describe("marketplace signal wording", () => {
  it("turns hours into days to a tenth, half-up, without float drift", () => {
    expect([0, 1, 3, 6, 46, 60, 133, 164].map(decisionDays)).toEqual([0, 0, 0.1, 0.3, 1.9, 2.5, 5.5, 6.8]);
    expect([formatDays(1), formatDays(2.5), formatDays(0)]).toEqual(["1 day", "2.5 days", "0 days"]);
  });

  it("states the threshold a new figure has not reached", () => {
    expect(thresholdText("clicks", 30)).toBe("Fewer than 100 clicks in 30 days");
    expect(thresholdText("decided", 90)).toBe("Fewer than 10 decided conversions in 90 days");
    expect(thresholdText("approved", 30)).toBe("Fewer than 10 approved conversions in 30 days");
    expect(allNewText(30)).toBe("Fewer than 100 clicks and 10 decided conversions in 30 days");
  });
});
