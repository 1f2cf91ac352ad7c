import { z } from "zod";

type Issue = z.core.$ZodRawIssue;

function isEmpty(input: unknown) {
  return input === undefined || input === null || input === "";
}

/**
 * A safety net for a schema field without a message of its own: the person reads a plain sentence,
 * never zod's "Invalid input: expected string, received undefined". Schemas still say what is wrong
 * in their own words; this only fills the gaps.
 */
function humanMessage(issue: Issue): string {
  switch (issue.code) {
    case "invalid_type":
      return isEmpty(issue.input) ? "Fill in this field" : "Enter a valid value here";
    case "too_big":
      if (issue.origin === "string") return `Use at most ${String(issue.maximum)} characters`;
      if (issue.origin === "array" || issue.origin === "set") return `Choose at most ${String(issue.maximum)}`;
      return `Enter at most ${String(issue.maximum)}`;
    case "too_small":
      if (issue.origin === "string")
        return Number(issue.minimum) <= 1 ? "Fill in this field" : `Use at least ${String(issue.minimum)} characters`;
      if (issue.origin === "array" || issue.origin === "set") return `Choose at least ${String(issue.minimum)}`;
      return `Enter at least ${String(issue.minimum)}`;
    case "invalid_value":
    case "invalid_union":
      return "Choose one of the options";
    case "invalid_format":
      return issue.format === "email"
        ? "Enter a valid email address"
        : issue.format === "url"
          ? "Enter a full https:// address"
          : "Check the format of this value";
    default:
      return "Check this value";
  }
}

z.config({ customError: humanMessage });
