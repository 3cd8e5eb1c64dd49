import { z } from 'zod';
import { defineFunction } from '#platform/define-function.js';
import { id } from '#platform/schemas.js';

export default defineFunction({
  method: 'DELETE',
  access: 'customer',
  params: z.object({ addressId: id }),
  handler: async ({ params, caller, deps }) => ({
    user: await deps.accounts.removeAddress(caller.userId, params.addressId),
  }),
});
