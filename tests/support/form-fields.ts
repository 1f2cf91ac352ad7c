import type { FormFields } from "./route-harness";

/**
 * A form's values as the browser posts them under conform's field names: `terms[0].tiers[0].amount`
 * for objects in lists, a repeated name for a list of plain values.
 */
export function formFields(values: Record<string, unknown>, prefix = ""): FormFields {
  const fields: FormFields = {};
  for (const [key, value] of Object.entries(values)) {
    const name = prefix ? `${prefix}.${key}` : key;
    if (Array.isArray(value) && value.some((v) => typeof v === "object" && v !== null)) {
      value.forEach((item, i) => Object.assign(fields, formFields(item as Record<string, unknown>, `${name}[${i}]`)));
    } else if (Array.isArray(value)) {
      if (value.length) fields[name] = value.map(String);
    } else if (typeof value === "object" && value !== null) {
      Object.assign(fields, formFields(value as Record<string, unknown>, name));
    } else if (value !== undefined && value !== null) {
      fields[name] = String(value);
    }
  }
  return fields;
}
