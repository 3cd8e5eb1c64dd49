/** Words for the API's codes (diets, allergens, order statuses). */
export const DIETS = { vegan: 'Vegan', vegetarian: 'Vegetarian', gluten_free: 'Gluten free', lactose_free: 'Lactose free', organic: 'Organic', halal: 'Halal', kosher: 'Kosher' } as const;
export const ALLERGENS = {
  gluten: 'Gluten', crustaceans: 'Crustaceans', eggs: 'Eggs', fish: 'Fish', peanuts: 'Peanuts', soybeans: 'Soybeans', milk: 'Milk',
  nuts: 'Nuts', celery: 'Celery', mustard: 'Mustard', sesame: 'Sesame', sulphites: 'Sulphites', lupin: 'Lupin', molluscs: 'Molluscs',
} as const;
export const STATUSES = {
  pending: 'Pending',
  awaiting_payment: 'Awaiting payment',
  confirmed: 'Confirmed',
  shipped: 'Shipped',
  delivered: 'Delivered',
  cancelled: 'Cancelled',
} as const;
/** A status in words; one this build does not know yet (a newer API) reads as its code. */
export const statusWord = (status: string) => STATUSES[status as keyof typeof STATUSES] ?? status.replace(/_/g, ' ');
/** Statuses the shop moves on by itself (the saga, a payment): an order page watches them. */
export const SETTLING: string[] = ['pending', 'awaiting_payment'];
export type Diet = keyof typeof DIETS;
export type Allergen = keyof typeof ALLERGENS;

export const when = (iso: string) => new Date(iso).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
export const hour = (iso: string) => new Date(iso).toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' });
/** A delivery slot in words: "Mon 7 Dec 11:00–15:00". */
export const slotWords = (slot: { start: string; end: string }) =>
  `${new Date(slot.start).toLocaleDateString(undefined, { weekday: 'short', day: 'numeric', month: 'short' })} ${hour(slot.start)}–${hour(slot.end)}`;
