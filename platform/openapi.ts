import { z } from 'zod';
import type { FunctionDefinition } from './define-function.js';

type JsonSchema = Record<string, unknown>;

/** A zod schema as JSON Schema (2020-12, which OpenAPI 3.1 speaks), as sent (`input`) or answered (`output`). */
export function jsonSchema(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as JsonSchema;
  return rest;
}

export interface DocumentedFunction {
  name: string;
  /** The public route (`GET /api/products/:id`); functions without one are left out. */
  route?: { method: string; path: string };
  definition: FunctionDefinition;
  /** The area it belongs to (stack.yml label com.shop.domain), its group in the reference. */
  area?: string;
}

const errorShape: JsonSchema = {
  type: 'object',
  properties: {
    error: {
      type: 'object',
      properties: {
        code: { type: 'string', examples: ['VALIDATION_FAILED'] },
        message: { type: 'string' },
        details: {},
      },
      required: ['code', 'message'],
    },
  },
  required: ['error'],
};

/** The refusals every function of this kind may answer, beside the ones it declares. */
function refusals(fn: FunctionDefinition): Record<number, string | undefined> {
  const input = fn.body || fn.query || fn.headers || fn.upload;
  return {
    ...(input ? { 400: 'VALIDATION_FAILED: the input is not what this operation takes (details name each field)' } : {}),
    ...(fn.access === 'customer' || fn.access === 'admin' ? { 401: 'UNAUTHENTICATED: no valid access token' } : {}),
    ...(fn.access === 'admin' ? { 403: 'FORBIDDEN: admins only' } : {}),
    ...(fn.params ? { 404: 'NOT_FOUND: nothing with this id' } : {}),
    ...(fn.body || fn.upload ? { 413: 'PAYLOAD_TOO_LARGE', 415: 'UNSUPPORTED_MEDIA_TYPE' } : {}),
    // The edge (Nginx) may answer these for any operation, in the same shape.
    429: 'RATE_LIMITED: too many requests from this address (the edge), see Retry-After',
    ...fn.errors,
    500: 'INTERNAL: something went wrong on our side (details only in the log)',
    502: 'UNAVAILABLE: the service behind the edge does not answer',
    503: 'UNAVAILABLE: try again shortly',
    504: 'UNAVAILABLE: the service did not answer in time',
  };
}

const parameters = (schema: z.ZodType | undefined, where: 'path' | 'query' | 'header') => {
  if (!schema) return [];
  const { properties = {}, required = [] } = jsonSchema(schema, 'input') as { properties?: Record<string, JsonSchema>; required?: string[] };
  return Object.entries(properties).map(([name, property]) => ({
    name,
    in: where,
    required: where === 'path' || required.includes(name),
    schema: property,
    ...(typeof property.description === 'string' ? { description: property.description } : {}),
  }));
};

function operation({ name, definition: fn, area }: DocumentedFunction) {
  const status = fn.status ?? (fn.response ? 200 : 204);
  const success = fn.response
    ? { description: 'OK', content: { 'application/json': { schema: jsonSchema(fn.response, 'output') } } }
    : { description: 'Done; no body' };
  const body = fn.body && jsonSchema(fn.body, 'input');
  const form = fn.upload && {
    type: 'object',
    properties: { ...((body?.properties as object) ?? {}), [fn.upload.field]: { type: 'string', contentMediaType: 'application/octet-stream' } },
    ...(fn.upload.required ? { required: [fn.upload.field] } : {}),
  };
  return {
    operationId: name,
    summary: fn.summary,
    ...(fn.description ? { description: fn.description } : {}),
    ...(area ? { tags: [area] } : {}),
    security: fn.access === 'public' ? [] : [{ bearer: [] }],
    parameters: [...parameters(fn.params, 'path'), ...parameters(fn.query, 'query'), ...parameters(fn.headers, 'header')],
    ...(body || form
      ? {
          requestBody: {
            required: true,
            content: {
              ...(body && !fn.upload?.required ? { 'application/json': { schema: body } } : {}),
              ...(form ? { 'multipart/form-data': { schema: form } } : {}),
            },
          },
        }
      : {}),
    responses: {
      [status]: success,
      ...Object.fromEntries(
        Object.entries(refusals(fn)).map(([code, description = '']) => [
          code,
          { description, content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } },
        ]),
      ),
    },
    'x-function': name,
    'x-access': fn.access,
  };
}

/**
 * The OpenAPI 3.1 document of the public API, made from the function definitions themselves:
 * their routes (stack.yml), zod schemas for what they take and answer, who may call, and every
 * refusal in the error shape. Nothing is written by hand, so it cannot drift from the code.
 */
export function openApiDocument(functions: DocumentedFunction[], { version, description }: { version: string; description?: string }) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const fn of functions) {
    if (!fn.route) continue;
    const path = fn.route.path.replace(/:(\w+)/g, '{$1}');
    paths[path] = { ...paths[path], [fn.route.method.toLowerCase()]: operation(fn) };
  }
  return {
    openapi: '3.1.0',
    info: { title: 'Food shop API', version, ...(description ? { description } : {}) },
    servers: [{ url: '/' }],
    tags: [...new Set(functions.filter((f) => f.route && f.area).map((f) => f.area!))].sort().map((name) => ({ name })),
    paths,
    components: {
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'The accessToken of POST /api/auth/login' },
      },
      schemas: { Error: errorShape },
    },
  };
}
