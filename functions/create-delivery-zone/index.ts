import { defineFunction } from '#platform/define-function.js';
import { newZone } from '#domain/delivery/inputs.js';
import { zoneAnswer } from '#domain/delivery/answers.js';

/** 409 ZONE_OVERLAP when one of its postcodes or prefixes is another zone's. */
export default defineFunction({
  method: 'POST',
  access: 'admin',
  summary: 'Create a delivery zone: its postcodes, fee, minimum order and free-over subtotal',
  response: zoneAnswer,
  errors: { ZONE_OVERLAP: 'a postcode falls in another zone (details name each clash)', CONFLICT: 'try again' },
  status: 201,
  body: newZone,
  handler: ({ body, deps }) => deps.delivery.createZone(body),
});
