import type { ClientSession, Connection } from 'mongoose';
import type { CategoryRepository } from '#domain/catalog/product.js';
import { DomainError } from '#domain/errors.js';
import { duplicateKeyOn, mongoModels } from './models.js';
import { appendEvents } from './mongo-outbox.js';
import { inTransaction } from './transaction.js';

/** Categories in MongoDB; a new slug moves the category's products along, in one transaction. */
export function mongoCategories(connection: Connection): CategoryRepository {
  const { Category, Product } = mongoModels(connection);
  const toCategory = (d: { _id: unknown; name: string; slug: string }) => ({ id: String(d._id), name: d.name, slug: d.slug });
  // Only the slug index means SLUG_TAKEN; a clash on _id is a real error (as for users' emailLower).
  const writing = async <T>(slug: string | undefined, work: (session: ClientSession) => Promise<T>) => {
    try {
      return await inTransaction(connection, work);
    } catch (error) {
      if (duplicateKeyOn(error, 'slug')) throw new DomainError('SLUG_TAKEN', `The slug "${slug}" is taken`);
      throw error;
    }
  };
  return {
    create: ({ id, ...rest }, events) =>
      writing(rest.slug, async (session) => {
        await Category.create([{ _id: id, ...rest }], { session });
        await appendEvents(connection, session, events);
      }),
    async findBySlug(slug) {
      const doc = await Category.findOne({ slug: String(slug) }).lean();
      return doc ? toCategory(doc as never) : null;
    },
    async list() {
      const docs = await Category.find().sort({ name: 1, _id: 1 }).lean();
      return docs.map((d) => toCategory(d as never));
    },
    update: (slug, change, events) =>
      writing(change.slug, async (session) => {
        const set: Record<string, string> = {};
        if (change.name !== undefined) set.name = change.name;
        if (change.slug !== undefined) set.slug = change.slug;
        const doc = await Category.findOneAndUpdate({ slug: String(slug) }, { $set: set }, { returnDocument: 'after', lean: true, runValidators: true, session });
        if (!doc) return null;
        // Deleted products move too: carts and old orders still name their category.
        if (doc.slug !== slug) await Product.updateMany({ category: String(slug) }, { $set: { category: doc.slug } }, { session });
        await appendEvents(connection, session, events);
        return toCategory(doc as never);
      }),
    // Safe against a product put in the category at the same moment: both write the category
    // document, so one of the two transactions runs again and sees the other (holdCategory).
    delete: (slug, events) =>
      inTransaction(connection, async (session) => {
        if (!(await Category.exists({ slug: String(slug) }).session(session))) return 'missing' as const;
        if (await Product.exists({ category: String(slug), deletedAt: null }).session(session)) return 'in-use' as const;
        await Category.deleteOne({ slug: String(slug) }, { session });
        await appendEvents(connection, session, events);
        return 'deleted' as const;
      }),
  };
}
