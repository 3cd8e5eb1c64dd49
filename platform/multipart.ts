import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { HttpError, validationFailed } from './errors.js';

export interface UploadOptions {
  /** The form field that carries the file, such as `image`. */
  field: string;
  /** Largest file in bytes; a larger one is 413. */
  maxBytes: number;
  /** Without it, the function also takes plain JSON (no file). */
  required?: boolean;
}

export interface UploadedFile {
  bytes: Buffer;
  filename: string;
}

/**
 * Adds the multipart parser to one function's scope only; other functions keep answering 415
 * and never load it.
 */
export function acceptMultipart(scope: FastifyInstance, { maxBytes }: UploadOptions) {
  scope.register(import('@fastify/multipart'), { limits: { fileSize: maxBytes, files: 1, fields: 30, fieldSize: 64 * 1024, parts: 32 } });
}

const jsonOrText = (text: string): unknown => {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
};

/**
 * Form fields are strings; each field gets the first reading its schema takes, so one zod schema
 * serves JSON and forms alike: the text itself, else its JSON value (`"250"` → 250, `"true"` →
 * true, `{"contains":["milk"]}` → an object, `null`), else a list of it (`diets=vegan`). A field
 * sent more than once is a list (`diets=vegan&diets=organic`), of the texts or of their JSON
 * values. What no reading fits goes to the schema as JSON (or text), which says what is wrong.
 */
function formFields(schema: z.ZodType | undefined, fields: Record<string, string[]>) {
  const shape = schema instanceof z.ZodObject ? (schema.shape as Record<string, z.ZodType>) : {};
  return Object.fromEntries(
    Object.entries(fields).map(([key, texts]) => {
      const readings = texts.length === 1 ? [texts[0], jsonOrText(texts[0]), texts] : [texts, texts.map(jsonOrText)];
      const field = shape[key];
      if (!field) return [key, readings[0]];
      return [key, readings.find((value) => field.safeParse(value).success) ?? readings[texts.length === 1 ? 1 : 0]];
    }),
  );
}

/**
 * Busboy decodes a field's bytes that are not UTF-8 into U+FFFD. Storing that would keep
 * something the client never sent, so such a field is refused, as a JSON body with those
 * bytes is (platform/server.ts).
 */
const REPLACEMENT = '\uFFFD';

/** Parser failures without a status of their own (no boundary, a body cut short) are the client's: 400. */
function malformed(error: unknown): unknown {
  const status = (error as { statusCode?: number }).statusCode;
  if (error instanceof HttpError || (status && status >= 400 && status < 500)) return error;
  return validationFailed(`The multipart body is malformed: ${(error as Error).message}`);
}

/** Reads a multipart request: the one file, and the other fields as the body to validate. */
export async function readMultipart(request: FastifyRequest, options: UploadOptions, bodySchema: z.ZodType | undefined) {
  if (!request.isMultipart()) {
    if (options.required) throw new HttpError('UNSUPPORTED_MEDIA_TYPE', `Send multipart/form-data with a "${options.field}" file`);
    return { body: request.body, file: undefined };
  }
  // No prototype: a field named __proto__ is a field like any other.
  const fields = Object.create(null) as Record<string, string[]>;
  let file: UploadedFile | undefined;
  try {
    for await (const part of request.parts()) {
      if (part.type === 'file') {
        if (part.fieldname !== options.field) {
          throw validationFailed(`Unexpected file field "${part.fieldname}"`, [{ path: `body.${part.fieldname}` }]);
        }
        file = { bytes: await part.toBuffer(), filename: part.filename };
      } else {
        const value = String(part.value);
        if (value.includes(REPLACEMENT)) {
          throw validationFailed(`The "${part.fieldname}" field is not valid UTF-8`, [{ path: `body.${part.fieldname}` }]);
        }
        (fields[part.fieldname] ??= []).push(value);
      }
    }
  } catch (error) {
    throw malformed(error);
  }
  if (options.required && !file) {
    throw validationFailed(`The "${options.field}" file is missing`, [{ path: `body.${options.field}` }]);
  }
  return { body: formFields(bodySchema, fields), file };
}
