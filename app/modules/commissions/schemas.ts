import { z } from "zod";
import { parseCurrencyAmounts, parsePercent } from "~/lib/money";

/**
 * The network default or a merchant's override: "20" percent and lines like "USD 0.50" → bps and
 * per-currency minimums in minor units.
 */
export const feeFormSchema = z
  .object({
    intent: z.enum(["default", "merchant"], { error: "Unknown action" }),
    percent: z.string({ error: "Enter the fee as a percentage of the commission" }).max(40, "Enter the fee as a percentage, like 20"),
    minimums: z.string({ error: "Write one minimum per line, like USD 0.50" }).max(5000, "List fewer minimums").optional(),
    merchant: z
      .string({ error: "Enter the merchant's handle" })
      .trim()
      .toLowerCase()
      .max(60, "A merchant handle is at most 60 characters")
      .optional(),
  })
  .transform((form, ctx) => {
    const bps = parsePercent(form.percent);
    if (bps.error !== null) ctx.addIssue({ code: "custom", path: ["percent"], message: bps.error });
    const { amounts: minimums, errors } = parseCurrencyAmounts(form.minimums ?? "");
    for (const message of errors) ctx.addIssue({ code: "custom", path: ["minimums"], message });
    return { intent: form.intent, bps: bps.value ?? 0, minimums, merchant: form.merchant };
  });
