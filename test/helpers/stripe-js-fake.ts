/**
 * A tiny Stripe.js for the browser tests, served by the Stripe stand-in at `/v3/` (STRIPE_JS_URL):
 * `Stripe(pk).elements({clientSecret}).create('payment').mount(el)` draws a plain form, and
 * `confirmPayment({elements})` confirms the intent at the stand-in with the publishable key and
 * the client secret, as Stripe.js does at api.stripe.com. The card is always authorised.
 */
export const FAKE_STRIPE_JS = `(() => {
  const base = new URL(document.currentScript.src).origin;
  window.Stripe = (key) => ({
    elements: ({ clientSecret }) => ({
      clientSecret,
      create: (type) => ({
        mount(target) {
          const el = typeof target === 'string' ? document.querySelector(target) : target;
          const note = document.createElement('p');
          note.textContent = 'Test card 4242 4242 4242 4242 (' + type + ', Stripe stand-in)';
          note.setAttribute('data-fake-stripe', 'mounted');
          el.replaceChildren(note);
        },
      }),
    }),
    async confirmPayment({ elements }) {
      const secret = elements.clientSecret;
      const id = secret.split('_secret_')[0];
      const answer = await fetch(base + '/v1/payment_intents/' + id + '/confirm', {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ key, client_secret: secret }),
      });
      const body = await answer.json();
      return answer.ok ? { paymentIntent: body } : { error: body.error };
    },
  });
})();
`;
