import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { apiDocument, loadDefinitions } from '../../runtime/reference.js';
import { loadStack } from '../../runtime/stack.js';

/** The API reference as the runtime serves it, made from stack.yml and the function definitions. */
export const referenceDocument = async () => apiDocument(await loadDefinitions(loadStack('stack.yml')));

type Document = Awaited<ReturnType<typeof referenceDocument>>;
type Check = (body: unknown) => string | null;

interface Operation {
  method: string;
  pattern: RegExp;
  responses: Map<number, Check | null>;
}

let operations: Promise<Operation[]> | undefined;

function compile(document: Document): Operation[] {
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats.default(ajv);
  // The document's one $ref names the error shape: inline it, each schema is compiled on its own.
  const errorShape = JSON.stringify(document.components.schemas.Error);
  const checker = (schema: object): Check => {
    const validate = ajv.compile(JSON.parse(JSON.stringify(schema).replaceAll('{"$ref":"#/components/schemas/Error"}', errorShape)));
    return (body) => (validate(body) ? null : ajv.errorsText(validate.errors));
  };
  return Object.entries(document.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, op]) => {
      const responses = (op as { responses: Record<string, { content?: { 'application/json': { schema: object } } }> }).responses;
      return {
        method: method.toUpperCase(),
        pattern: new RegExp(`^${path.replace(/\{\w+\}/g, '[^/]+')}$`),
        responses: new Map(
          Object.entries(responses).map(([status, answer]) => [Number(status), answer.content ? checker(answer.content['application/json'].schema) : null]),
        ),
      };
    }),
  );
}

/**
 * Every answer the HTTP tests receive on an /api route is checked against the reference: its
 * status must be one the operation documents, its body must match the documented schema. A
 * test that meets an undocumented answer fails, so the reference cannot drift from the code.
 */
export async function checkAgainstReference(method: string, url: string, status: number, body: unknown, contentType: string | null) {
  const path = url.split('?')[0];
  if (!path.startsWith('/api/') || path.startsWith('/api/docs') || path === '/api/openapi.json') return;
  const known = await (operations ??= referenceDocument().then(compile));
  const operation = known.find((op) => op.method === method && op.pattern.test(path));
  if (!operation) return; // an unknown path or method: the 404 and 405 of the gateway itself
  if (!operation.responses.has(status)) throw new Error(`${method} ${path} answered ${status}, which the API reference does not list`);
  const check = operation.responses.get(status);
  if (!check) return;
  if (!contentType?.startsWith('application/json')) throw new Error(`${method} ${path} answered ${status} with ${contentType}, not JSON`);
  const problem = check(body);
  if (problem) throw new Error(`${method} ${path} answered ${status} with a body the API reference does not allow: ${problem}`);
}
