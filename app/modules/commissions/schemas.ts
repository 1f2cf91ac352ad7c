import { z } from "zod";
import { isCurrency, parseAmount, parsePercent } from "~/lib/money";

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
    if (bps.error !== null) ctx.addIssue({ code: "custom", path: ["percent"], message: bps.error });
    const minimums: Record<string, number> = {};
    for (const line of (form.minimums ?? "")
      .split(/\r?\n/)
      .map((l) => l.trim())
      .filter(Boolean)) {
      const [code = "", amount = "", ...rest] = line.toUpperCase().split(/\s+/);
      if (!isCurrency(code) || rest.length > 0) {
        ctx.addIssue({
          code: "custom",
          path: ["minimums"],
          message: `Write each minimum as a currency and an amount, like USD 0.50 (not "${line}")`,
        });
        continue;
      }
      const minor = parseAmount(amount, code);
      if (minor.error !== null) ctx.addIssue({ code: "custom", path: ["minimums"], message: `${line}: ${minor.error}` });
      else minimums[code] = minor.value;
    }
    return { intent: form.intent, bps: bps.value ?? 0, minimums, merchant: form.merchant };
  });
