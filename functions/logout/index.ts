import { defineFunction } from '#platform/define-function.js';
import { refreshTokenBody } from '#domain/users/inputs.js';

export default defineFunction({
  method: 'POST',
  access: 'customer',
  summary: "Log out: end this session's refresh and access tokens",
  body: refreshTokenBody,
  handler: ({ body, caller, deps }) => deps.sessions.logout(caller, body.refreshToken),
});
