import { z } from 'zod';
import { ERRORS, type ErrorCode } from '#domain/errors.js';
import type { FunctionDefinition } from './define-function.js';

type JsonSchema = Record<string, unknown>;

/** A zod schema as JSON Schema (2020-12, which OpenAPI 3.1 speaks), as sent (`input`) or answered (`output`). */
export function jsonSchema(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: 'any', override: withoutSafeIntegerBounds }) as JsonSchema;
  return rest;
}

/**
 * zod gives every `.int()` the bounds ±9007199254740991 (Number.MAX_SAFE_INTEGER), which say
 * nothing and which reference pages show as the example: an integer without a bound of its own
 * has none in the document.
 */
function withoutSafeIntegerBounds({ jsonSchema: out }: { jsonSchema: JsonSchema }) {
  if (out.minimum === Number.MIN_SAFE_INTEGER) delete out.minimum;
  if (out.maximum === Number.MAX_SAFE_INTEGER) delete out.maximum;
}

export interface DocumentedFunction {
  name: string;
  /** The public route (`GET /api/products/:id`); functions without one are left out. */
  route?: { method: string; path: string };
  definition: FunctionDefinition;
  /** The area it belongs to (stack.yml label com.shop.domain), its group in the reference. */
  area?: string;
}

const codes = Object.keys(ERRORS) as ErrorCode[];

const errorShape: JsonSchema = {
  type: 'object',
  properties: {
    error: {
      type: 'object',
      properties: {
        code: {
          type: 'string',
          enum: codes,
          description: codes.map((code) => `- \`${code}\` (${ERRORS[code].status}): ${ERRORS[code].message}`).join('\n'),
        },
        message: { type: 'string' },
        details: {},
      },
      required: ['code', 'message'],
    },
  },
  required: ['error'],
};

/** A code an operation may answer, a note on when, and the status when it is not the table's. */
type Refusal = [code: ErrorCode, note?: string, status?: number];

/** The refusals every function of this kind may answer, beside the ones it declares. */
function refusals(fn: FunctionDefinition): Refusal[] {
  const input = fn.body || fn.query || fn.headers || fn.upload || fn.rawBody;
  const declared = Object.entries(fn.errors ?? {}) as [ErrorCode, NonNullable<FunctionDefinition['errors']>[ErrorCode]][];
  return [
    ...(input ? [['VALIDATION_FAILED', 'details name each field'] as Refusal] : []),
    ...(fn.access === 'customer' || fn.access === 'admin' ? [['UNAUTHENTICATED', 'no valid access token'] as Refusal] : []),
    ...(fn.access === 'admin' ? [['FORBIDDEN', 'admins only'] as Refusal] : []),
    ...(fn.params ? [['NOT_FOUND', 'nothing with this id'] as Refusal] : []),
    ...(fn.body || fn.upload || fn.rawBody ? [['PAYLOAD_TOO_LARGE'], ['UNSUPPORTED_MEDIA_TYPE']] as Refusal[] : []),
    ...declared.map(([code, note]): Refusal =>
      typeof note === 'object' ? [code, note.note, note.status] : [code, note === true ? undefined : note],
    ),
    // The edge (Nginx) may answer these for any operation, in the same shape; 502 and 504 are
    // the proxy's own statuses for a gateway that is gone or slow.
    ['RATE_LIMITED', 'too many requests from this address (the edge), see Retry-After'],
    ['INTERNAL', 'details only in the log'],
    ['UNAVAILABLE', 'the service behind the edge does not answer', 502],
    ['UNAVAILABLE', undefined, 503],
    ['UNAVAILABLE', 'the service did not answer in time', 504],
  ];
}

/** Refusals as OpenAPI responses: per status, the codes it may carry, each with its message and notes. */
function refusalResponses(fn: FunctionDefinition) {
  const byStatus = new Map<number, Map<ErrorCode, string[]>>();
  for (const [code, note, status = ERRORS[code].status] of refusals(fn)) {
    const notes = byStatus.get(status) ?? new Map<ErrorCode, string[]>();
    notes.set(code, [...(notes.get(code) ?? []), ...(note ? [note] : [])]);
    byStatus.set(status, notes);
  }
  return Object.fromEntries(
    [...byStatus].map(([status, notes]) => [
      status,
      {
        description: [...notes]
          .map(([code, more]) => `- \`${code}\`: ${ERRORS[code].message}${more.length ? ` (${more.join('; ')})` : ''}`)
          .join('\n'),
        content: {
          'application/json': {
            schema: {
              allOf: [
                { $ref: '#/components/schemas/Error' },
                { properties: { error: { properties: { code: { enum: [...notes.keys()] } } } } },
              ],
            },
          },
        },
      },
    ]),
  );
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
    properties: {
      ...((body?.properties as object) ?? {}),
      [fn.upload.field]: {
        type: 'string',
        contentMediaType: 'application/octet-stream',
        description: 'The image file: JPEG, PNG or WebP, 5 MB and 40 megapixels at most',
      },
    },
    ...(fn.upload.required ? { required: [fn.upload.field] } : {}),
  };
  return {
    operationId: name,
    summary: fn.summary,
    ...(fn.description ? { description: fn.description } : {}),
    ...(area ? { tags: [area] } : {}),
    security: fn.access === 'public' ? [] : [{ bearer: [] }],
    parameters: [...parameters(fn.params, 'path'), ...parameters(fn.query, 'query'), ...parameters(fn.headers, 'header')],
    ...(fn.rawBody
      ? { requestBody: { required: true, content: { 'application/json': { schema: { type: 'object', description: fn.rawBody } } } } }
      : {}),
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
      ...refusalResponses(fn),
    },
    'x-function': name,
    'x-access': fn.access,
  };
}

/**
 * The OpenAPI 3.1 document of the public API, made from the function definitions themselves:
 * their routes (stack.yml), zod schemas for what they take and answer, who may call, and every
 * refusal in the error shape; and the events as `webhooks` (platform/event-docs.ts). Nothing is
 * written by hand, so it cannot drift from the code.
 */
export function openApiDocument(
  functions: DocumentedFunction[],
  { version, description, webhooks }: { version: string; description?: string; webhooks?: Record<string, unknown> },
) {
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
    ...(webhooks ? { webhooks } : {}),
    components: {
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'The accessToken of POST /api/auth/login' },
      },
      schemas: { Error: errorShape },
    },
  };
}
