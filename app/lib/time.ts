/** A day in milliseconds: a UTC day, as the tracking pages count them (no time zone shifts it). */
export const DAY_MS = 86_400_000;
