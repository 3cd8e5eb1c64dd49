import { z } from 'zod';

/** Shapes every area shares, in requests and in answers. */

/** Ids are opaque; anything odd simply finds nothing (404), so only the length is bounded. */
export const id = z
  .string()
  .min(1)
  .max(64)
  .meta({ description: 'An id as the shop makes them (24 lower-case hex characters)', examples: ['6750a1c2e4b0f3a9d2c81e07'] });

export const pagination = {
  page: z.coerce.number().int().min(1).max(100_000).default(1).meta({ description: 'Which page, counting from 1', examples: [1] }),
  limit: z.coerce.number().int().min(1).max(100).default(20).meta({ description: 'Items per page, 1 to 100', examples: [20] }),
};
export const pageQuery = z.object(pagination);

const FIRST = new Date('2000-01-01T00:00:00.000Z');
const LAST = new Date('2100-12-31T23:59:59.999Z');
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATE_TIME = /^(\d{4}-\d{2}-\d{2})T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})?$/i;
const FORMAT = 'a date such as 2026-01-31, or a date-time such as 2026-01-31T10:00:00Z or 2026-01-31T12:00:00+02:00';

/** Whether `2026-02-30` names a day of the calendar (JavaScript would roll it into March). */
const realDay = (day: string) => new Date(`${day}T00:00:00Z`).toISOString().slice(0, 10) === day;

/**
 * A moment a query names (`from`, `to`): a date-time (ISO 8601; UTC unless it names its zone), or
 * a bare date, which means a whole day in UTC: its first moment as a start (`edge: 'start'`),
 * its last as an end, so `from=2026-01-31&to=2026-01-31` is that one day. Within the years
 * 2000–2100: no record of the shop lies outside them, and JavaScript's dates reach years that
 * PostgreSQL's timestamps cannot hold (a 500 rather than a 400).
 */
export const moment = (edge: 'start' | 'end') =>
  z
    .string()
    .trim()
    .transform((text, context) => {
      const bare = DATE.exec(text);
      const dated = DATE_TIME.exec(text);
      const day = bare ? text : dated?.[1];
      if (!day || !realDay(day)) {
        context.addIssue({ code: 'custom', message: `not a date or date-time: give ${FORMAT}` });
        return z.NEVER;
      }
      const at = bare
        ? new Date(`${day}T${edge === 'start' ? '00:00:00.000' : '23:59:59.999'}Z`)
        : new Date(dated![4] ? text : `${text}Z`);
      if (Number.isNaN(at.getTime())) {
        context.addIssue({ code: 'custom', message: `not a date or date-time: give ${FORMAT}` });
        return z.NEVER;
      }
      if (at < FIRST || at > LAST) {
        context.addIssue({ code: 'custom', message: 'a date in the years 2000–2100' });
        return z.NEVER;
      }
      return at;
    })
    .meta({
      description:
        `${edge === 'start' ? 'From' : 'Up to'} this moment (inclusive): ${FORMAT}. A date-time without a zone is UTC; a bare date ` +
        `is that whole day in UTC, so it counts from its first moment (${edge === 'start' ? 'as here' : 'in `from`'}) ` +
        `or up to its last (${edge === 'end' ? 'as here' : 'in `to`'}). Years 2000–2100.`,
      examples: [edge === 'start' ? '2026-01-01' : '2026-01-31T18:00:00Z'],
    });

/** A page of a list, as every list answers: `{ items, page, limit, total }`. */
export const page = <T extends z.ZodType>(item: T) =>
  z.object({
    items: z.array(item).meta({ description: 'This page of the list' }),
    page: z.number().int().min(1).max(100_000).meta({ description: 'The page given, counting from 1', examples: [1] }),
    limit: z.number().int().min(1).max(100).meta({ description: 'Items per page, as asked', examples: [20] }),
    total: z.number().int().min(0).meta({ description: 'Items on every page together', examples: [42] }),
  });

/** A moment, as answers carry it: ISO 8601 in UTC. */
export const timestamp = z.string().meta({ format: 'date-time', description: 'ISO 8601, UTC', examples: ['2026-11-29T10:00:00.000Z'] });

/** An amount of money in integer minor units (cents), as answers carry it. */
export const cents = (description: string, example: number) => z.number().int().min(0).meta({ description, examples: [example] });

declare module 'zod' {
  interface GlobalMeta {
    /** Of an event's schema (domain/<area>/events.ts): the functions that emit it. */
    producers?: readonly string[];
  }
}
