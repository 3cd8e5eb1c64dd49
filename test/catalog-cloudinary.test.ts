import t from 'tap';
import { startCloudinaryStandIn } from './helpers/cloudinary-stand-in.js';
import { imageForm, jpeg, png } from './helpers/images.js';
import { adminToken, startShop } from './helpers/shop.js';
import { targets } from './helpers/targets.js';

/**
 * Product images through the real cloudinary SDK, aimed at a local stand-in of its upload
 * API. The SDK picks http or https when it is first loaded, so CLOUDINARY_URL (with the
 * stand-in as upload_prefix) is in the environment before the shop loads it.
 */
t.test('product images on Cloudinary, over HTTP', async (t) => {
  const cloudinary = await startCloudinaryStandIn();
  t.teardown(() => cloudinary.close());
  process.env.CLOUDINARY_URL = cloudinary.cloudinaryUrl;
  const shop = await startShop(targets[0], { CLOUDINARY_URL: cloudinary.cloudinaryUrl });
  t.teardown(() => shop.close());
  t.match(shop.gateway.adapters.images, /cloudinary/);
  const token = await adminToken(shop);
  await shop.call('POST', '/api/categories', { token, body: { name: 'Fruit' } });

  const form = imageForm({ name: 'Gala apples', category: 'fruit', priceCents: 299, unit: 'kg' }, { bytes: jpeg() });
  const created = await shop.call('POST', '/api/products', { token, form });
  t.equal(created.status, 201);
  const { product } = created.body;
  t.match(product.imageUrl, new RegExp(`^https://res\\.cloudinary\\.com/${cloudinary.cloud}/image/upload/.*food-shop/products/`));
  t.match(product.thumbnailUrl, /c_fill/);
  t.match(product.thumbnailUrl, /w_400/);
  t.equal(cloudinary.images.size, 1, 'one image stored in the shop folder');
  const [[firstId, first]] = [...cloudinary.images];
  t.match(firstId, /^food-shop\/products\//);
  t.same(first.bytes, jpeg(), 'the bytes went up unchanged');

  const replaced = await shop.call('POST', `/api/products/${product.id}/image`, { token, form: imageForm({}, { bytes: png() }) });
  t.equal(replaced.status, 200);
  t.not(replaced.body.product.imageUrl, product.imageUrl);
  t.notOk(cloudinary.images.has(firstId), 'the replaced image was destroyed');
  t.equal(cloudinary.images.size, 1);

  const orphan = imageForm({ name: 'Ghost pears', category: 'nope', priceCents: 1, unit: 'kg' }, { bytes: jpeg() });
  t.equal((await shop.call('POST', '/api/products', { token, form: orphan })).status, 422);
  t.equal(cloudinary.images.size, 1, 'an unknown category is refused before anything is uploaded');
  const disguised = imageForm({}, { bytes: Buffer.from('GIF89a not allowed'), type: 'image/png', name: 'x.png' });
  t.equal((await shop.call('POST', `/api/products/${product.id}/image`, { token, form: disguised })).status, 415);
  t.equal(cloudinary.uploads, 2, 'refused requests never reach Cloudinary');
});
