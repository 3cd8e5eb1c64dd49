import { z } from 'zod';
import { defineFunction } from '#platform/define-function.js';
import { id } from '#domain/schemas.js';
import { timetable } from '#domain/delivery/inputs.js';
import { zoneAnswer } from '#domain/delivery/answers.js';

/** Replaces the weekly slots, closed days and one-day capacities as a whole; an empty list of slots delivers without slots. */
export default defineFunction({
  method: 'PUT',
  access: 'admin',
  summary: "Set a delivery zone's weekly slots, closed days and one day's capacity",
  description:
    "Times are wall-clock times in the shop's time zone (SHOP_TIMEZONE). Places already taken stay taken; a slot removed or a day closed takes no new orders.",
  response: zoneAnswer,
  errors: { CONFLICT: 'try again' },
  params: z.object({ id }),
  body: timetable,
  handler: ({ params, body, deps }) => deps.delivery.setTimetable(params.id, body),
});
