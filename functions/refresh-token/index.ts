import { defineFunction } from '#platform/define-function.js';
import { refreshTokenBody } from '#domain/users/inputs.js';
import { session } from '#domain/users/answers.js';

export default defineFunction({
  method: 'POST',
  access: 'public',
  summary: 'Trade a refresh token for a new pair (each works once)',
  response: session,
  errors: { UNAUTHENTICATED: 'invalid, expired or used: a used one ends its whole session' },
  noStore: true,
  body: refreshTokenBody,
  handler: ({ body, deps }) => deps.sessions.refresh(body.refreshToken),
});
