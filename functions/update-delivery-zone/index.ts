import { z } from 'zod';
import { defineFunction } from '#platform/define-function.js';
import { id } from '#domain/schemas.js';
import { zoneChange } from '#domain/delivery/inputs.js';
import { zoneAnswer } from '#domain/delivery/answers.js';

/** Orders placed already keep the fee and zone they were placed with. */
export default defineFunction({
  method: 'PATCH',
  access: 'admin',
  summary: "Change a delivery zone's name, postcodes, fee, minimum or free-over subtotal",
  response: zoneAnswer,
  errors: { ZONE_OVERLAP: 'a postcode falls in another zone (details name each clash)', CONFLICT: 'try again' },
  params: z.object({ id }),
  body: zoneChange,
  handler: ({ params, body, deps }) => deps.delivery.updateZone(params.id, body),
});
