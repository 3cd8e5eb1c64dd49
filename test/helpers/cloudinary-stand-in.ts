import { createHash, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { detectImageType } from '#domain/catalog/images.js';

export interface StandInImage {
  bytes: Buffer;
  folder?: string;
}

export interface CloudinaryStandIn {
  /** `http://127.0.0.1:<port>`, the SDK's upload_prefix. */
  url: string;
  /** The CLOUDINARY_URL that aims the SDK here: key, secret, cloud and upload_prefix. */
  cloudinaryUrl: string;
  cloud: string;
  apiKey: string;
  apiSecret: string;
  /** What is stored, by public_id. */
  images: Map<string, StandInImage>;
  /** Signed requests that reached an endpoint, with their (non-file) parameters. */
  requests: { action: 'upload' | 'destroy'; params: Record<string, string> }[];
  readonly uploads: number;
  close(): Promise<void>;
}

const formatByType = { 'image/jpeg': 'jpg', 'image/png': 'png', 'image/webp': 'webp' } as const;
// Cloudinary signs every parameter but these (https://cloudinary.com/documentation/authentication_signatures).
const unsigned = new Set(['file', 'api_key', 'resource_type', 'cloud_name', 'signature']);

/**
 * Cloudinary's signature as the SDK computes it (lib/utils: api_string_to_sign, signature
 * version 2): `key=value` pairs sorted by key, `&` inside a pair escaped as %26, joined by
 * `&`, the secret appended, hashed with SHA-1 (the SDK's default) or SHA-256 (when
 * configured), hex. Array parameters (`tags[]`) are signed joined by commas.
 */
export function cloudinarySignature(params: Record<string, string>, secret: string, algorithm: 'sha1' | 'sha256' = 'sha1') {
  const toSign = Object.entries(params)
    .filter(([key, value]) => !unsigned.has(key) && value !== '')
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([key, value]) => `${key}=${value}`.replaceAll('&', '%26'))
    .join('&');
  return createHash(algorithm).update(toSign + secret).digest('hex');
}

const send = (res: ServerResponse, status: number, body: unknown) =>
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
const fail = (res: ServerResponse, status: number, message: string) => send(res, status, { error: { message } });

async function readForm(req: IncomingMessage) {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  // undici's multipart parser, built into Node: no dependency for the stand-in.
  const form = await new Response(Buffer.concat(chunks), { headers: { 'content-type': req.headers['content-type'] ?? '' } }).formData();
  const params: Record<string, string> = {};
  let file: Buffer | undefined;
  for (const [key, value] of form) {
    if (key === 'file' && typeof value !== 'string') file = Buffer.from(await value.arrayBuffer());
    else {
      const text = typeof value === 'string' ? value : value.name;
      if (key.endsWith('[]')) params[key.slice(0, -2)] = params[key.slice(0, -2)] ? `${params[key.slice(0, -2)]},${text}` : text;
      else params[key] = text;
    }
  }
  return { params, file };
}

/**
 * A local stand-in for the two endpoints of Cloudinary's upload API the image store calls,
 * so the real SDK code runs in tests: `POST /v1_1/<cloud>/image/upload` and
 * `POST /v1_1/<cloud>/image/destroy`, both signed with the API secret.
 */
export async function startCloudinaryStandIn({
  cloud = 'shop-test',
  apiKey = '123456789012345',
  apiSecret = randomBytes(12).toString('hex'),
} = {}): Promise<CloudinaryStandIn> {
  const images = new Map<string, StandInImage>();
  const requests: CloudinaryStandIn['requests'] = [];
  let uploads = 0;

  const authentic = (params: Record<string, string>) => {
    const { signature = '', api_key, timestamp } = params;
    const algorithm = signature.length === 64 ? 'sha256' : 'sha1';
    if (api_key !== apiKey) return 'Unknown API key';
    if (!timestamp || Math.abs(Date.now() / 1000 - Number(timestamp)) > 3600) return 'Stale request';
    if (signature !== cloudinarySignature(params, apiSecret, algorithm)) return `Invalid Signature ${signature}`;
    return null;
  };

  const upload = (res: ServerResponse, params: Record<string, string>, file?: Buffer) => {
    const type = file && detectImageType(file);
    if (!file || !type) return fail(res, 400, 'Invalid image file');
    const folder = params.folder || undefined;
    const publicId = params.public_id || [folder, randomBytes(10).toString('hex')].filter(Boolean).join('/');
    if (images.has(publicId) && params.overwrite === '0') return fail(res, 400, `Resource already exists: ${publicId}`);
    images.set(publicId, { bytes: file, folder });
    uploads += 1;
    const version = Math.floor(Date.now() / 1000);
    const format = formatByType[type];
    const path = `${cloud}/image/upload/v${version}/${publicId}.${format}`;
    send(res, 200, {
      asset_id: randomBytes(16).toString('hex'),
      public_id: publicId,
      version,
      format,
      resource_type: 'image',
      type: 'upload',
      created_at: new Date().toISOString(),
      bytes: file.length,
      folder: folder ?? '',
      url: `http://res.cloudinary.com/${path}`,
      secure_url: `https://res.cloudinary.com/${path}`,
    });
  };

  const destroy = (res: ServerResponse, params: Record<string, string>) =>
    send(res, 200, { result: images.delete(params.public_id ?? '') ? 'ok' : 'not found' });

  const server = createServer(async (req, res) => {
    try {
      const route = new RegExp(`^/v1_1/${cloud}/image/(upload|destroy)$`).exec(req.url ?? '');
      if (req.method !== 'POST' || !route) return fail(res, 404, `Nothing at ${req.method} ${req.url}`);
      const { params, file } = await readForm(req);
      const refused = authentic(params);
      if (refused) return fail(res, 401, refused);
      const action = route[1] as 'upload' | 'destroy';
      requests.push({ action, params });
      return action === 'upload' ? upload(res, params, file) : destroy(res, params);
    } catch (error) {
      fail(res, 400, `Bad request: ${(error as Error).message}`);
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url,
    cloudinaryUrl: `cloudinary://${apiKey}:${apiSecret}@${cloud}?upload_prefix=${encodeURIComponent(url)}`,
    cloud,
    apiKey,
    apiSecret,
    images,
    requests,
    get uploads() {
      return uploads;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
