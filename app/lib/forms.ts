import type { SubmissionResult } from "@conform-to/react";

/**
 * Which of a page's forms an action result belongs to: the `done` intent of a success, or the
 * submitted `intent` field of a failure.
 */
export function intentOf(result: (SubmissionResult<string[]> & { done?: unknown }) | undefined): unknown {
  if (!result) return undefined;
  return "done" in result ? result.done : result.initialValue?.intent;
}
