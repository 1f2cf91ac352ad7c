/** A day in seconds and in milliseconds: a UTC day, as clicks, conversions and their pages count them. */
export const DAY_SECONDS = 86_400;
export const DAY_MS = DAY_SECONDS * 1000;
