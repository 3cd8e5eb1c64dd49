/**
 * A catalog worth listing: 8 categories × 30 products, loaded over the public API as the admin
 * (as a shop owner would), so `GET /api/products` reads real rows, a full page and a real total.
 * The data is fixed: every run lists the same catalog.
 */

/** What the catalog scenarios load, every time the same. */
export const CATALOG_LIST_PATH = '/api/products?page=1&limit=20';
const PAGE_SIZE = 20;

/** Requests in flight while loading: quick, without turning the load into a benchmark of its own. */
const LOAD_CONCURRENCY = 6;

export interface Admin {
  email: string;
  password: string;
}

interface CategoryTable {
  slug: string;
  name: string;
  unit: string;
  /** Cents for the cheapest product; the others cost a little more each. */
  basePrice: number;
  items: string[];
}

// 10 items × 3 kinds = 30 products per category.
const KINDS = [
  ['Organic', 'Certified organic, from growers we visit every season.'],
  ['Local', 'From farms and kitchens within a hundred miles of the shop.'],
  ['Value', 'Our everyday pick: the same quality at a friendlier price.'],
] as const;

const TABLES: CategoryTable[] = [
  { slug: 'fruit', name: 'Fruit', unit: 'kg', basePrice: 299, items: ['Gala apples', 'Bartlett pears', 'Bananas', 'Navel oranges', 'Lemons', 'Seedless grapes', 'Strawberries', 'Blueberries', 'Kiwis', 'Mangoes'] },
  { slug: 'vegetables', name: 'Vegetables', unit: 'kg', basePrice: 179, items: ['Carrots', 'Broccoli', 'Baby spinach', 'Vine tomatoes', 'Cucumbers', 'Red peppers', 'Yellow onions', 'Russet potatoes', 'Zucchini', 'Garlic'] },
  { slug: 'dairy-eggs', name: 'Dairy & Eggs', unit: 'each', basePrice: 249, items: ['Whole milk 1 l', 'Greek yogurt 500 g', 'Salted butter 250 g', 'Aged cheddar 200 g', 'Mozzarella 125 g', 'Free-range eggs 12', 'Heavy cream 250 ml', 'Cottage cheese 400 g', 'Feta 200 g', 'Skyr 450 g'] },
  { slug: 'bakery', name: 'Bakery', unit: 'each', basePrice: 199, items: ['Sourdough loaf', 'Baguette', 'Whole wheat bread', 'Croissants 4', 'Bagels 6', 'Rye bread', 'Ciabatta', 'Cinnamon rolls 4', 'Brioche', 'Pita bread 6'] },
  { slug: 'meat-fish', name: 'Meat & Fish', unit: 'kg', basePrice: 899, items: ['Chicken breast', 'Chicken thighs', 'Ground beef', 'Pork chops', 'Sirloin steak', 'Lamb shoulder', 'Salmon fillet', 'Cod fillet', 'Tiger prawns', 'Smoked bacon'] },
  { slug: 'pantry', name: 'Pantry', unit: 'each', basePrice: 149, items: ['Spaghetti 500 g', 'Basmati rice 1 kg', 'Rolled oats 1 kg', 'Olive oil 500 ml', 'Chopped tomatoes 400 g', 'Chickpeas 400 g', 'Peanut butter 340 g', 'Wildflower honey 350 g', 'Plain flour 1 kg', 'Red lentils 500 g'] },
  { slug: 'drinks', name: 'Drinks', unit: 'each', basePrice: 129, items: ['Orange juice 1 l', 'Apple juice 1 l', 'Sparkling water 1.5 l', 'Cold brew coffee 500 ml', 'Green tea 20 bags', 'Ground coffee 250 g', 'Oat drink 1 l', 'Ginger beer 330 ml', 'Lemonade 1 l', 'Kombucha 330 ml'] },
  { slug: 'frozen', name: 'Frozen', unit: 'each', basePrice: 229, items: ['Garden peas 1 kg', 'Mixed berries 500 g', 'Margherita pizza', 'Vanilla ice cream 1 l', 'Fish fingers 10', 'Spinach portions 450 g', 'Sweet potato fries 750 g', 'Vegetable dumplings 20', 'Edamame 500 g', 'Mango chunks 500 g'] },
];

export const categories = TABLES.map(({ slug, name }) => ({ slug, name }));

/** Exactly the body of POST /api/products: 240 products, stock and prices spread but fixed. */
export const products = TABLES.flatMap((table, t) =>
  KINDS.flatMap(([kind, blurb], k) =>
    table.items.map((item, i) => ({
      name: `${kind} ${item.charAt(0).toLowerCase()}${item.slice(1)}`,
      description: `${blurb} ${item} from our ${table.name.toLowerCase()} aisle, packed the morning it ships.`,
      category: table.slug,
      priceCents: table.basePrice + i * 37 + (kind === 'Value' ? -40 : kind === 'Organic' ? 120 : 0),
      stock: ((t + 1) * 97 + i * 31 + k * 13) % 250,
      unit: table.unit,
    })),
  ),
);

async function call(method: string, url: string, body?: unknown, token?: string) {
  const headers: Record<string, string> = {};
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (token) headers.authorization = `Bearer ${token}`;
  const response = await fetch(url, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await response.text();
  let json: Record<string, unknown> | undefined;
  try {
    json = JSON.parse(text) as Record<string, unknown>;
  } catch {
    // not JSON: the status says enough
  }
  return { status: response.status, json, text };
}

async function expect(what: string, status: number, request: ReturnType<typeof call>) {
  const answer = await request;
  if (answer.status !== status) throw new Error(`${what} answered ${answer.status}, not ${status}: ${answer.text.slice(0, 300)}`);
  return answer.json ?? {};
}

/** Runs `work` on every item with at most `limit` in flight; the first failure stops the rest. */
async function eachLimited<T>(items: readonly T[], limit: number, work: (item: T) => Promise<unknown>) {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await work(items[next++]);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

/** Logs in as the first admin and creates every category and product; takes a few seconds. */
export async function loadCatalog(base: string, admin: Admin): Promise<void> {
  const login = await expect('admin login', 200, call('POST', `${base}/api/auth/login`, admin));
  const token = String(login.accessToken);
  for (const category of categories) {
    await expect(`POST /api/categories (${category.slug})`, 201, call('POST', `${base}/api/categories`, category, token));
  }
  await eachLimited(products, LOAD_CONCURRENCY, (product) =>
    expect(`POST /api/products (${product.name})`, 201, call('POST', `${base}/api/products`, product, token)),
  );
}

/** The measured listing answers a full first page of the whole catalog, or the run is not worth measuring. */
export async function checkCatalog(base: string): Promise<void> {
  const list = await expect(`GET ${CATALOG_LIST_PATH}`, 200, call('GET', `${base}${CATALOG_LIST_PATH}`));
  const count = Array.isArray(list.items) ? list.items.length : -1;
  if (list.total !== products.length || count !== PAGE_SIZE) {
    throw new Error(`GET ${CATALOG_LIST_PATH}: total ${String(list.total)} and ${count} items, expected ${products.length} and ${PAGE_SIZE}`);
  }
}
