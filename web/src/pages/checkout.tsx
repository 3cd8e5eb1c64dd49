/**
 * Checkout: an address, the delivery fee and minimum for it, a slot with room left, the payment
 * method (card only where the quote offers it), then the order. A card order is paid on its
 * page, in Stripe's Payment Element (pages/pay.tsx).
 */
import { useEffect, useState } from 'preact/hooks';
import { api, money, problem, type Cart, type Slot } from '../api';
import { Notice } from '../forms';
import { hour } from '../labels';
import { SignedIn } from '../guard';
import { Link, navigate } from '../router';
import { cartCount, session } from '../session';
import { useStore } from '../store';
import { AddressForm, addressLine } from './addresses';

export function Checkout() {
  return (
    <SignedIn>
      <CheckoutForm />
    </SignedIn>
  );
}

type PaymentMethod = 'cash_on_delivery' | 'card';

const dayName = (date: string) => new Date(`${date}T12:00:00`).toLocaleDateString(undefined, { weekday: 'long', day: 'numeric', month: 'long' });

function CheckoutForm() {
  const user = useStore(session)!;
  const [addressId, setAddressId] = useState(user.addresses[0]?.id ?? '');
  const [cart, setCart] = useState<Cart | null>(null);
  const [slots, setSlots] = useState<Slot[] | null>(null);
  const [slotId, setSlotId] = useState('');
  const [note, setNote] = useState('');
  const [methods, setMethods] = useState<PaymentMethod[]>(['cash_on_delivery']);
  const [method, setMethod] = useState<PaymentMethod>('cash_on_delivery');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  // The form shows once the first cart and slots are in, whole: parts arriving one by one pushed
  // the rest of the page down (a layout shift of 0.2 in Lighthouse). Later address changes keep it.
  const [ready, setReady] = useState(user.addresses.length === 0);
  // One key per checkout: a retry after a lost answer gets the same order, not a second one.
  const [idempotencyKey] = useState(() => crypto.randomUUID());
  const address = user.addresses.find((a) => a.id === addressId);

  useEffect(() => {
    if (!address) return;
    setSlots(null);
    setSlotId('');
    const cartRead = api.GET('/api/cart', { params: { query: { addressId: address.id } } }).then(({ data, error }) => {
      setCart(data ?? null);
      setError(error ? problem(error) : null);
    });
    const slotsRead = api.GET('/api/delivery/quote', { params: { query: { postalCode: address.postalCode } } }).then(async ({ data }) => {
      const offered = data?.paymentMethods.length ? data.paymentMethods : ['cash_on_delivery' as const];
      setMethods(offered);
      setMethod((now) => (offered.includes(now) ? now : offered[0]));
      if (!data?.slots) return setSlots([]);
      const answer = await api.GET('/api/delivery/slots', { params: { query: { postalCode: address.postalCode, days: 7 } } });
      setSlots(answer.data?.items ?? []);
    });
    void Promise.allSettled([cartRead, slotsRead]).then(() => setReady(true));
  }, [addressId]);

  const place = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    const { data, error } = await api.POST('/api/orders', {
      params: { header: { 'idempotency-key': idempotencyKey } },
      body: { addressId, slotId: slotId || undefined, note: note || undefined, paymentMethod: method },
    });
    setBusy(false);
    if (error) return setError(problem(error));
    cartCount.value = 0;
    navigate(`/orders/${data.order.id}`);
  };

  const delivery = cart?.delivery;
  const byDay = new Map<string, Slot[]>();
  for (const slot of slots ?? []) byDay.set(slot.date, [...(byDay.get(slot.date) ?? []), slot]);
  const needsSlot = (slots?.length ?? 0) > 0;

  return (
    <section>
      <h1>Checkout</h1>
      {!ready && <p aria-busy="true">Loading your cart and the delivery slots…</p>}
      <Notice text={error} />
      <form hidden={!ready} onSubmit={(e) => void place(e)} aria-label="Place your order">
        <fieldset>
          <legend>Delivery address</legend>
          {user.addresses.length === 0 && <p>Add the address to deliver to first.</p>}
          {user.addresses.map((a) => (
            <label class="check" key={a.id}>
              <input type="radio" name="addressId" value={a.id} checked={a.id === addressId} onChange={() => setAddressId(a.id)} /> {addressLine(a)}
            </label>
          ))}
        </fieldset>
        {cart && (
          <div class="summary" aria-live="polite">
            <p>Subtotal: {money(cart.subtotalCents, cart.currency)}</p>
            {delivery && (
              <>
                <p>Delivery: {delivery.feeCents ? money(delivery.feeCents, cart.currency) : 'free'}{delivery.zone ? ` (${delivery.zone.name})` : ''}</p>
                {delivery.missingCents > 0 && (
                  <p role="alert">
                    The minimum order here is {money(delivery.minimumOrderCents, cart.currency)}: add {money(delivery.missingCents, cart.currency)} more.
                  </p>
                )}
                <p>
                  Total: <strong>{money(delivery.totalCents, cart.currency)}</strong>
                </p>
              </>
            )}
            {cart.items.length === 0 && (
              <p>
                Your cart is empty. <Link href="/">Back to the shop</Link>
              </p>
            )}
          </div>
        )}
        {needsSlot && (
          <fieldset class="slots">
            <legend>Delivery slot</legend>
            {[...byDay].map(([date, daySlots]) => (
              <div key={date} role="group" aria-label={dayName(date)}>
                <p class="day">{dayName(date)}</p>
                {daySlots.map((slot) => (
                  <label class={`slot ${slot.status}`} key={slot.id}>
                    <input type="radio" name="slotId" value={slot.id} disabled={slot.status !== 'open'} checked={slotId === slot.id} onChange={() => setSlotId(slot.id)} required />
                    {hour(slot.start)}–{hour(slot.end)} <small>{slot.status === 'open' ? `${slot.left} left` : slot.status}</small>
                  </label>
                ))}
              </div>
            ))}
          </fieldset>
        )}
        <fieldset>
          <legend>Payment</legend>
          {methods.map((m) => (
            <label class="check" key={m}>
              <input type="radio" name="paymentMethod" value={m} checked={method === m} onChange={() => setMethod(m)} /> {m === 'card' ? 'Card (pay on the next page)' : 'Cash on delivery'}
            </label>
          ))}
        </fieldset>
        <label for="note">Note for the driver (optional)</label>
        <textarea id="note" name="note" maxLength={500} value={note} onInput={(e) => setNote(e.currentTarget.value)} />
        <p>
          <button type="submit" disabled={busy || !address || !cart?.items.length || (needsSlot && !slotId) || (delivery?.missingCents ?? 0) > 0}>
            Place order
          </button>
        </p>
      </form>
      <details hidden={!ready} open={user.addresses.length === 0}>
        <summary>Add an address</summary>
        <AddressForm onAdded={(u) => setAddressId(u.addresses[u.addresses.length - 1].id)} />
      </details>
    </section>
  );
}
