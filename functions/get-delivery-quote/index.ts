import { defineFunction } from '#platform/define-function.js';
import { postalCodeQuery } from '#domain/delivery/inputs.js';
import { quote } from '#domain/delivery/answers.js';

export default defineFunction({
  method: 'GET',
  access: 'public',
  summary: "A postcode's delivery: its zone, fee, minimum order and free-over subtotal",
  response: quote,
  errors: { OUTSIDE_DELIVERY_AREA: { status: 404, note: 'no zone covers the postcode: there is no quote for it' } },
  query: postalCodeQuery,
  handler: ({ query, deps }) => deps.delivery.quote(query.postalCode),
});
