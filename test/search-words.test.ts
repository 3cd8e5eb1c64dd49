import t from 'tap';
import { MAX_WORD_LENGTH, productSearchWords, searchWords } from '#domain/catalog/search-words.js';

t.test('words are lower case, without accents, cut at anything but letters and digits', async (t) => {
  t.same(searchWords("Crème Brûlée — Ben & Jerry's ice-cream, 2,500 SHU"), ['creme', 'brulee', 'ben', 'jerry', 's', 'ice', 'cream', '2', '500', 'shu']);
  t.same(searchWords('Cre\u0300me'), searchWords('Crème'), 'decomposed (NFD) and composed (NFC) accents are the same');
  t.same(searchWords('ＡＰＰＬＥ ﬁg İstanbul'), ['apple', 'fig', 'istanbul'], 'full-width letters, ligatures, dotted capital I');
  t.same(searchWords('Jalapeño Øl straße'), ['jalapeno', 'øl', 'straße'], 'letters without a decomposition stay as they are');
  t.same(searchWords('Äpfel 苹果'), ['apfel', '苹果'], 'any script');
  t.same(searchWords(' ?! -- '), [], 'no words');
});

t.test('each word once, long words cut to the same length on every side', async (t) => {
  t.same(searchWords('apple Apple APPLE pie'), ['apple', 'pie']);
  const long = 'x'.repeat(MAX_WORD_LENGTH + 10);
  t.same(searchWords(long), ['x'.repeat(MAX_WORD_LENGTH)]);
  t.same(searchWords('é'.repeat(MAX_WORD_LENGTH + 1))[0].length, MAX_WORD_LENGTH, 'counted in letters, not bytes or code units');
});

t.test('a product is found by the words of its name and its description', async (t) => {
  t.same(productSearchWords({ name: 'Green apples', description: 'Crisp, green' }), ['green', 'apples', 'crisp']);
});
