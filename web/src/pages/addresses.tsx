/** The address form (checkout and account share it): a new address on the account. */
import { api, type User } from '../api';
import { Field, Notice, useSubmit } from '../forms';
import { session } from '../session';

export function AddressForm({ onAdded }: { onAdded?: (user: User) => void }) {
  const { errors, message, busy, onSubmit } = useSubmit(
    ({ label, street, city, postalCode, country }) =>
      api.POST('/api/users/me/addresses', { body: { label: label || undefined, street, city, postalCode, country } }),
    (data, form) => {
      session.value = data.user;
      form.reset();
      onAdded?.(data.user);
    },
  );
  return (
    <form onSubmit={(e) => void onSubmit(e)} aria-label="New address" class="stack">
      <Notice text={message} />
      <Field name="label" label="Label (optional)" errors={errors} placeholder="Home" />
      <Field name="street" label="Street" errors={errors} autoComplete="street-address" required />
      <Field name="city" label="City" errors={errors} autoComplete="address-level2" required />
      <Field name="postalCode" label="Postcode" errors={errors} autoComplete="postal-code" required />
      <Field name="country" label="Country (two letters)" errors={errors} autoComplete="country" maxLength={2} required />
      <button type="submit" disabled={busy}>
        Add address
      </button>
    </form>
  );
}

export const addressLine = (a: { label?: string; street?: string; city?: string; postalCode?: string; country: string }) =>
  [a.label && `${a.label}:`, a.street, [a.postalCode, a.city].filter(Boolean).join(' '), a.country].filter(Boolean).join(' ');
