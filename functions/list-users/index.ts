import { defineFunction } from '#platform/define-function.js';
import { pageQuery } from '#platform/schemas.js';

export default defineFunction({
  method: 'GET',
  access: 'admin',
  query: pageQuery,
  handler: ({ query, deps }) => deps.accounts.list(query.page, query.limit),
});
