import multipart from '@fastify/multipart';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { HttpError } from './errors.js';

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

/** Adds the multipart parser to one function's scope only; other functions keep answering 415. */
export function acceptMultipart(scope: FastifyInstance, { maxBytes }: UploadOptions) {
  scope.register(multipart, { limits: { fileSize: maxBytes, files: 1, fields: 30, fieldSize: 64 * 1024, parts: 32 } });
}

/**
 * Form fields are strings; a field whose schema wants a number or a boolean gets its JSON
 * value (`"250"` → 250, `"true"` → true), so one zod schema serves JSON and forms alike.
 */
function formFields(schema: z.ZodType | undefined, fields: Record<string, string>) {
  const shape = schema instanceof z.ZodObject ? (schema.shape as Record<string, z.ZodType>) : {};
  return Object.fromEntries(
    Object.entries(fields).map(([key, text]) => {
      if (!shape[key] || shape[key].safeParse(text).success) return [key, text];
      try {
        return [key, JSON.parse(text)];
      } catch {
        return [key, text];
      }
    }),
  );
}

/** Reads a multipart request: the one file, and the other fields as the body to validate. */
export async function readMultipart(request: FastifyRequest, options: UploadOptions, bodySchema: z.ZodType | undefined) {
  if (!request.isMultipart()) {
    if (options.required) throw new HttpError('UNSUPPORTED_MEDIA_TYPE', `Send multipart/form-data with a "${options.field}" file`);
    return { body: request.body, file: undefined };
  }
  const fields: Record<string, string> = {};
  let file: UploadedFile | undefined;
  for await (const part of request.parts()) {
    if (part.type === 'file') {
      if (part.fieldname !== options.field) {
        throw new HttpError('VALIDATION_FAILED', `Unexpected file field "${part.fieldname}"`, [{ path: `body.${part.fieldname}` }]);
      }
      file = { bytes: await part.toBuffer(), filename: part.filename };
    } else {
      fields[part.fieldname] = String(part.value);
    }
  }
  if (options.required && !file) {
    throw new HttpError('VALIDATION_FAILED', `The "${options.field}" file is missing`, [{ path: `body.${options.field}` }]);
  }
  return { body: formFields(bodySchema, fields), file };
}
