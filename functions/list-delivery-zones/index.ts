import { defineFunction } from '#platform/define-function.js';
import { zones } from '#domain/delivery/answers.js';

export default defineFunction({
  method: 'GET',
  access: 'admin',
  summary: 'List the delivery zones, by name',
  response: zones,
  handler: ({ deps }) => deps.delivery.listZones(),
});
