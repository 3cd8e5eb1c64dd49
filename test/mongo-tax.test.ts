import mongoose from 'mongoose';
import t from 'tap';
import { mongoModels } from '#adapters/mongo/models.js';
import { productDoc, toProduct, type ProductDoc } from '#adapters/mongo/mongo-catalog.js';
import { aProduct } from './contracts/catalog-repository.js';

/**
 * The MongoDB adapter's tax fields before anything reaches a server (the contract suites check
 * the same on a real one when MONGO_URL is set): the documents and their validators.
 */
const connection = mongoose.createConnection(); // never opened
const { Product, Order } = mongoModels(connection);
const problems = async (doc: mongoose.Document) => Object.keys((await doc.validate().catch((error) => error))?.errors ?? {}).sort();

t.test("products keep their tax class; one from before reads standard; another name is refused", async (t) => {
  const bread = aProduct({ taxClass: 'reduced' });
  t.same(await problems(new Product(productDoc(bread))), []);
  t.same(toProduct(productDoc(bread)), bread, 'reads back as stored');
  const old = { ...productDoc(aProduct()) } as Partial<ProductDoc>;
  delete old.taxClass;
  t.equal(toProduct(old as ProductDoc).taxClass, 'standard');
  t.same(await problems(new Product({ ...productDoc(bread), taxClass: 'luxury' })), ['taxClass']);
});

t.test("orders take the VAT snapshot and each line's class, and refuse what they do not name", async (t) => {
  const order = {
    _id: 'o1',
    userId: 'ann',
    status: 'pending',
    items: [{ productId: 'p1', name: 'Rice', unitPriceCents: 199, quantity: 2, lineTotalCents: 398, taxClass: 'reduced' }],
    totalCents: 398,
    currency: 'USD',
    tax: { rates: { standard: 20, reduced: 5.5, zero: 0 }, deliveryClass: 'standard' },
    address: { country: 'US' },
    history: [{ status: 'pending', at: new Date(), by: 'ann' }],
    idempotencyKey: 'k1',
    requestHash: 'h1',
    createdAt: new Date(),
    updatedAt: new Date(),
  };
  const doc = new Order(order);
  t.same(await problems(doc), []);
  t.same(doc.toObject().tax, order.tax);
  t.equal(doc.toObject().items[0].taxClass, 'reduced');
  t.same(await problems(new Order({ ...order, tax: { ...order.tax, deliveryClass: 'luxury' } })), ['tax.deliveryClass']);
  t.same(await problems(new Order({ ...order, tax: { ...order.tax, rates: { ...order.tax.rates, luxury: 30 } } })), ['tax.rates'], 'a rate of no class');
  t.same(await problems(new Order({ ...order, tax: undefined })), [], 'orders from before have none');
});
