/** C0 controls and DEL, except tab, line feed and carriage return, which text areas legitimately hold. */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL_CHARACTERS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/g;
// eslint-disable-next-line no-control-regex -- as above, without the global flag, for a cheap test
const HAS_CONTROL_CHARACTER = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/;
const LONE_SURROGATE = /\p{Surrogate}/u;

/**
 * Text as PostgreSQL can store it: no NUL or other control character (stripped: they are invisible
 * in what a person pasted), and no lone UTF-16 surrogate (replaced by U+FFFD), which text columns
 * and jsonb refuse. Returns the same string, without copying, when it is already clean.
 */
export function cleanText(text: string): string {
  const stripped = HAS_CONTROL_CHARACTER.test(text) ? text.replace(CONTROL_CHARACTERS, "") : text;
  return LONE_SURROGATE.test(stripped) ? wellFormed(stripped) : stripped;
}

/** The text with each lone UTF-16 surrogate replaced by U+FFFD. */
export function wellFormed(text: string): string {
  return (text as string & { toWellFormed(): string }).toWellFormed();
}

/** The text cut to at most `max` UTF-16 units with "…" after, never splitting a surrogate pair; as it is when it fits. */
export function clip(text: string, max: number): string {
  if (text.length <= max) return text;
  const code = text.charCodeAt(max - 1);
  const end = code >= 0xd800 && code <= 0xdbff ? max - 1 : max;
  return `${text.slice(0, end)}…`;
}
