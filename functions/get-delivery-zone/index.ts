import { z } from 'zod';
import { defineFunction } from '#platform/define-function.js';
import { id } from '#domain/schemas.js';
import { zoneAnswer } from '#domain/delivery/answers.js';

export default defineFunction({
  method: 'GET',
  access: 'admin',
  summary: 'Read a delivery zone, with its timetable',
  response: zoneAnswer,
  params: z.object({ id }),
  handler: ({ params, deps }) => deps.delivery.getZone(params.id),
});
