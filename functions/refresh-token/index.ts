import { defineFunction } from '#platform/define-function.js';
import { refreshTokenBody } from '#domain/users/inputs.js';

export default defineFunction({
  method: 'POST',
  access: 'public',
  noStore: true,
  body: refreshTokenBody,
  handler: ({ body, deps }) => deps.sessions.refresh(body.refreshToken),
});
