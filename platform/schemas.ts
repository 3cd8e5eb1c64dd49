import { z } from 'zod';
import { zodFailure } from './errors.js';

/** Ids are opaque; anything odd simply finds nothing (404), so only the length is bounded. */
export const id = z.string().min(1).max(64);

export const pagination = {
  page: z.coerce.number().int().min(1).max(100_000).default(1),
  limit: z.coerce.number().int().min(1).max(100).default(20),
};
export const pageQuery = z.object(pagination);

/** The order and its lines, as the order events carry them (the saga functions' input). */
export const orderLines = z.object({
  orderId: id,
  userId: id,
  items: z.array(z.object({ productId: id, quantity: z.number().int().min(1) })).min(1).max(100),
});

/** One request header, checked with its schema: 400 VALIDATION_FAILED names it when it is wrong. */
export function header<S extends z.ZodType>(schema: S, headers: Record<string, string | string[] | undefined>, name: string): z.output<S> {
  const result = schema.safeParse(headers[name]);
  if (!result.success) throw zodFailure(result.error, `headers.${name}`);
  return result.data;
}
