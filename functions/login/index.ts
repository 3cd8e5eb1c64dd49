import { defineFunction } from '#platform/define-function.js';
import { credentials } from '#domain/users/inputs.js';

export default defineFunction({
  method: 'POST',
  access: 'public',
  noStore: true,
  body: credentials,
  handler: ({ body, ip, deps }) => deps.sessions.login(body, { ip }),
});
