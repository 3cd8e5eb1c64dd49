import { z } from 'zod';
import { defineFunction } from '#platform/define-function.js';
import { id } from '#domain/schemas.js';

/** Its postcodes are no longer delivered (unless no zone is left: then the shop delivers anywhere). */
export default defineFunction({
  method: 'DELETE',
  access: 'admin',
  summary: 'Delete a delivery zone (orders placed keep their zone and slot)',
  params: z.object({ id }),
  handler: ({ params, deps }) => deps.delivery.deleteZone(params.id),
});
