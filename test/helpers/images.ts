/**
 * Real 1×1 images (one reddish pixel), made with libjpeg's cjpeg, libwebp's cwebp (lossless)
 * and zlib, and checked to decode with djpeg and dwebp: small, and valid to any parser.
 */
const JPEG_1X1 =
  '/9j/4AAQSkZJRgABAQAAAQABAAD/2wBDAAMCAgMCAgMDAwMEAwMEBQgFBQQEBQoHBwYIDAoMDAsKCwsNDhIQDQ4RDgsLEBYQERMUFRUVDA8XGBYUGBIUFRT/' +
  '2wBDAQMEBAUEBQkFBQkUDQsNFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBT/wAARCAABAAEDASIAAhEBAxEB/8QAFQAB' +
  'AQAAAAAAAAAAAAAAAAAAAAb/xAAUEAEAAAAAAAAAAAAAAAAAAAAA/8QAFQEBAQAAAAAAAAAAAAAAAAAABwj/xAAUEQEAAAAAAAAAAAAAAAAAAAAA/9oADAMBAAIR' +
  'AxEAPwCPAES2H//Z';
const PNG_1X1 = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGN44GAAAANUAVG+TbwNAAAAAElFTkSuQmCC';
const WEBP_1X1 = 'UklGRh4AAABXRUJQVlA4TBEAAAAvAAAAAAdQoIIXpv+BiOh/AAA=';

export const jpeg = () => Buffer.from(JPEG_1X1, 'base64');
export const png = () => Buffer.from(PNG_1X1, 'base64');
export const webp = () => Buffer.from(WEBP_1X1, 'base64');

/** The right magic bytes in front of something that is not an image at all. */
export const fakeJpeg = () => Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.from('not really a jpeg')]);

const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
const crc32 = (bytes: Buffer) => (bytes.reduce((c, byte) => crcTable[(c ^ byte) & 0xff] ^ (c >>> 8), 0xffffffff) ^ 0xffffffff) >>> 0;

/**
 * A PNG whose header declares `width`×`height` pixels: the start of a decompression bomb
 * (the rest, megabytes of zeros that deflate to kilobytes, is left out: the header is what
 * must be refused).
 */
export function pngDeclaring(width: number, height: number) {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 0, 0, 0, 0], 8); // 8-bit greyscale
  const typed = Buffer.concat([Buffer.from('IHDR'), ihdr]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(typed));
  return Buffer.concat([png().subarray(0, 8), Buffer.from([0, 0, 0, 13]), typed, crc, png().subarray(33)]);
}

/** A multipart form with the given fields and, when given, an `image` file. */
export function imageForm(fields: Record<string, string | number | boolean>, file?: { bytes: Buffer; type?: string; name?: string }) {
  const form = new FormData();
  for (const [key, value] of Object.entries(fields)) form.append(key, String(value));
  if (file) form.append('image', new Blob([new Uint8Array(file.bytes)], { type: file.type ?? 'image/jpeg' }), file.name ?? 'photo.jpg');
  return form;
}
