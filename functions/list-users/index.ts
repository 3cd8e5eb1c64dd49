import { defineFunction } from '#platform/define-function.js';
import { pageQuery } from '#domain/schemas.js';
import { usersPage } from '#domain/users/answers.js';

export default defineFunction({
  method: 'GET',
  access: 'admin',
  summary: 'List users, newest first',
  response: usersPage,
  query: pageQuery,
  handler: ({ query, deps }) => deps.accounts.list(query.page, query.limit),
});
