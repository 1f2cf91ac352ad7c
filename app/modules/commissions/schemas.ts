import { z } from "zod";
import { CURRENCIES, parseAmount, parsePercent } from "../offers/money";

/**
 * The network default or a merchant's override: "20" percent and lines like "USD 0.50" → bps and
 * per-currency minimums in minor units.
 */
export const feeFormSchema = z
  .object({
    intent: z.enum(["default", "merchant"]),
    percent: z.string({ error: "Enter the fee as a percentage of the commission" }).max(20, "Enter a percentage like 20 or 12.5"),
    minimums: z.string().max(2000, "Use at most 2,000 characters").optional(),
    merchant: z.string().trim().toLowerCase().max(60, "Use at most 60 characters").optional(),
  })
  .transform((form, ctx) => {
    const bps = parsePercent(form.percent);
    if (bps === null)
      ctx.addIssue({ code: "custom", path: ["percent"], message: "Enter a percentage between 0 and 100, with at most two decimals" });
    const minimums: Record<string, number> = {};
    for (const line of (form.minimums ?? "")
      .split(/\r?\n/)
      .map((l) => l.trim())
      .filter(Boolean)) {
      const [code = "", amount = ""] = line.toUpperCase().split(/\s+/);
      const minor = CURRENCIES.includes(code) ? parseAmount(amount, code) : null;
      if (minor === null)
        ctx.addIssue({
          code: "custom",
          path: ["minimums"],
          message: `Write each minimum as a currency and an amount, like USD 0.50 (not "${line}")`,
        });
      else minimums[code] = minor;
    }
    return { intent: form.intent, bps: bps ?? 0, minimums, merchant: form.merchant };
  });
