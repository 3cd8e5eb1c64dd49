/**
 * Paying a card order: Stripe's own Payment Element, mounted with the order's client secret, so
 * the shop never sees the card. Stripe.js and the publishable key come from
 * `GET /api/payments/settings` (js.stripe.com in production; the tests' fake elsewhere). Stripe
 * tells the shop through its webhook; the order page keeps asking until the order moves.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { api, money, problem } from '../api';
import { Notice } from '../forms';

/** The part of Stripe.js this page uses. */
interface StripeElements {
  create(type: 'payment'): { mount(target: HTMLElement): void };
}
interface StripeJs {
  elements(options: { clientSecret: string }): StripeElements;
  confirmPayment(options: { elements: StripeElements; redirect: 'if_required'; confirmParams: { return_url: string } }): Promise<{ error?: { message?: string } }>;
}
declare global {
  interface Window {
    Stripe?: (publishableKey: string) => StripeJs;
  }
}

let loading: Promise<void> | null = null;
/** Stripe.js, once per page load (a script element: the Content-Security-Policy allows its origin). */
function loadStripeJs(src: string) {
  loading ??= new Promise<void>((resolve, reject) => {
    const script = document.createElement('script');
    script.src = src;
    script.onload = () => resolve();
    script.onerror = () => {
      loading = null;
      reject(new Error('Stripe.js did not load'));
    };
    document.head.append(script);
  });
  return loading;
}

export function CardPayment({ clientSecret, amountCents, currency }: { clientSecret: string; amountCents: number; currency: string }) {
  const box = useRef<HTMLDivElement>(null);
  const [stripe, setStripe] = useState<{ js: StripeJs; elements: StripeElements } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [state, setState] = useState<'ready' | 'paying' | 'sent'>('ready');
  useEffect(() => {
    void (async () => {
      const { data, error } = await api.GET('/api/payments/settings');
      if (!data) return setError(problem(error));
      if (!data.publishableKey) return setError('The shop cannot take the card here yet: ask the shop.');
      await loadStripeJs(data.stripeJsUrl);
      const js = window.Stripe!(data.publishableKey);
      const elements = js.elements({ clientSecret });
      elements.create('payment').mount(box.current!);
      setStripe({ js, elements });
    })().catch((e: Error) => setError(e.message));
  }, [clientSecret]);
  const pay = async (event: Event) => {
    event.preventDefault();
    if (!stripe) return;
    setState('paying');
    const { error } = await stripe.js.confirmPayment({ elements: stripe.elements, redirect: 'if_required', confirmParams: { return_url: location.href } });
    setError(error ? (error.message ?? 'The payment did not go through.') : null);
    setState(error ? 'ready' : 'sent');
  };
  return (
    <form class="card-payment" aria-label="Pay by card" onSubmit={(e) => void pay(e)}>
      <h2>Pay by card</h2>
      <Notice text={error} />
      <div ref={box} class="payment-element" />
      {state === 'sent' ? (
        <p role="status">Payment sent: waiting for Stripe's confirmation…</p>
      ) : (
        <button type="submit" disabled={!stripe || state === 'paying'}>
          Pay {money(amountCents, currency)}
        </button>
      )}
    </form>
  );
}
