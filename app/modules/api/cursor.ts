import type { z } from "zod";
import { DAY_MS } from "~/lib/time";
import { DomainError } from "../errors.server";
import type { ListQuery } from "./schemas";

/** A page's end as the client carries it: opaque text, so the position's shape can change. */
export function encodeCursor(position: unknown): string {
  return Buffer.from(JSON.stringify(position)).toString("base64url");
}

/** The position a cursor holds, or null when it is not one this API wrote. */
function decodeCursor<T extends z.ZodType>(text: string, position: T): z.output<T> | null {
  try {
    const read = position.safeParse(JSON.parse(Buffer.from(text, "base64url").toString("utf8")));
    return read.success ? read.data : null;
  } catch {
    return null;
  }
}

/** The position a list query's cursor holds: null for the first page, a 400 when it is not one this API wrote. */
export function cursorOf<T extends z.ZodType>(query: ListQuery, position: T): z.output<T> | null {
  if (query.cursor === undefined) return null;
  const read = decodeCursor(query.cursor, position);
  if (read === null) throw new DomainError("invalid_cursor", "cursor is not a next_cursor this API returned.", "cursor", 400);
  return read;
}

/** The days a list query covers: from the start of `from` to the end of `to`, UTC. */
export function dayRange(query: ListQuery): { from?: Date; until?: Date } {
  return {
    from: query.from ? new Date(`${query.from}T00:00:00Z`) : undefined,
    until: query.to ? new Date(Date.parse(`${query.to}T00:00:00Z`) + DAY_MS) : undefined,
  };
}
