import { z } from 'zod';

/** Ids are opaque; anything odd simply finds nothing (404), so only the length is bounded. */
export const id = z.string().min(1).max(64);

export const pagination = {
  page: z.coerce.number().int().min(1).max(100_000).default(1),
  limit: z.coerce.number().int().min(1).max(100).default(20),
};
export const pageQuery = z.object(pagination);
