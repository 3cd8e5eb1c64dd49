import { defineFunction } from '#platform/define-function.js';
import { slotsQuery } from '#domain/delivery/inputs.js';
import { slots } from '#domain/delivery/answers.js';

export default defineFunction({
  method: 'GET',
  access: 'public',
  summary: "The delivery slots of a postcode's zone for the next days, with the places left",
  description: 'A slot closes for ordering SLOT_CUTOFF_MINUTES before it starts; full and closed slots are listed as such.',
  response: slots,
  errors: { OUTSIDE_DELIVERY_AREA: { status: 404, note: 'no zone covers the postcode: it has no slots' } },
  query: slotsQuery,
  handler: ({ query, deps }) => deps.delivery.slots(query.postalCode, query.from, query.days),
});
