import { z } from 'zod';

/** Shapes every area shares, in requests and in answers. */

/** Ids are opaque; anything odd simply finds nothing (404), so only the length is bounded. */
export const id = z.string().min(1).max(64);

export const pagination = {
  page: z.coerce.number().int().min(1).max(100_000).default(1),
  limit: z.coerce.number().int().min(1).max(100).default(20),
};
export const pageQuery = z.object(pagination);

/**
 * A moment a query names (ISO 8601), within the years 2000–2100 (UTC): no record of the shop lies
 * outside them, and JavaScript's dates reach years that PostgreSQL's timestamps cannot hold (a 500
 * rather than a 400).
 */
export const moment = z.coerce
  .date({ error: 'a date or date-time, such as 2026-01-31 or 2026-01-31T10:00:00Z' })
  .min(new Date('2000-01-01T00:00:00.000Z'), 'a date in the years 2000–2100')
  .max(new Date('2100-12-31T23:59:59.999Z'), 'a date in the years 2000–2100');

/** A page of a list, as every list answers: `{ items, page, limit, total }`. */
export const page = <T extends z.ZodType>(item: T) =>
  z.object({ items: z.array(item), page: z.number().int(), limit: z.number().int(), total: z.number().int() });

/** A moment, as answers carry it: ISO 8601 in UTC. */
export const timestamp = z.string().meta({ format: 'date-time', examples: ['2026-11-29T10:00:00.000Z'] });

declare module 'zod' {
  interface GlobalMeta {
    /** Of an event's schema (domain/<area>/events.ts): the functions that emit it. */
    producers?: readonly string[];
  }
}
