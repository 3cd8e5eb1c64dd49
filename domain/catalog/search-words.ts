/**
 * The one place that decides what a search word is, for every store: a product's name and
 * description are stored as these words, a search `q` is cut into them, and a product matches
 * when every word of `q` is the start of one of its words ("appl" finds "Apples"; "green apple"
 * does not find "Green pineapple"). Each store only matches prefixes of words made here, so
 * PostgreSQL and MongoDB cannot disagree on case, accents or punctuation.
 */

/**
 * Longer words are cut, on both sides alike: no food word is this long, and a store's index has
 * a limit per entry (PostgreSQL: 2047 bytes per lexeme, which a 2000-character run could pass).
 */
export const MAX_WORD_LENGTH = 64;

/**
 * Compatibility decomposition (NFKD) turns "é" into "e" plus a combining accent and "ﬁ" or a
 * full-width "Ａ" into plain letters; the marks are then dropped, so "Crème", "Cre\u0300me"
 * and "CREME" all give "creme". Anything that is not a letter or a digit separates words.
 */
export function searchWords(text: string): string[] {
  const words = text
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .match(/[\p{L}\p{N}]+/gu);
  return [...new Set((words ?? []).map((word) => [...word].slice(0, MAX_WORD_LENGTH).join('')))];
}

/** The words stored with a product: those of its name and its description. */
export const productSearchWords = (product: { name: string; description: string }) =>
  searchWords(`${product.name} ${product.description}`);

/** The words of its name alone, stored too: relevance puts a name match before a description match. */
export const productNameWords = (product: { name: string }) => searchWords(product.name);

/**
 * Relevance of a product for a search, as both stores compute it in their queries: per search
 * word, 4 when it is a whole word of the name, 3 when it starts one, 2 when it is a whole word
 * of the description, 1 when it starts one (every listed product matches each word somehow).
 * Higher first; ties go to the newest.
 */
export function relevance(words: string[], nameWords: string[], allWords: string[]) {
  return words.reduce(
    (sum, w) => sum + (nameWords.includes(w) ? 4 : nameWords.some((n) => n.startsWith(w)) ? 3 : allWords.includes(w) ? 2 : 1),
    0,
  );
}
