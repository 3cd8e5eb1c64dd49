/** Logging in and out, registering, a forgotten password, email verification, and the account's addresses. */
import { useEffect, useState } from 'preact/hooks';
import { api, problem, type User } from '../api';
import { Field, Notice, RemoveButton, useSubmit } from '../forms';
import { SignedIn } from '../guard';
import { Link, navigate, useRoute } from '../router';
import { session, tokens } from '../session';
import { useStore } from '../store';
import { AddressForm, addressLine } from './addresses';

function signIn(data: { accessToken: string; refreshToken: string; user: User }) {
  tokens.value = { accessToken: data.accessToken, refreshToken: data.refreshToken };
  session.value = data.user;
}

/** Where a login sends you: back to the page that asked for it (a path of this site only). */
const nextPath = (query: URLSearchParams) => {
  const next = query.get('next') ?? '/';
  return next.startsWith('/') && !next.startsWith('//') ? next : '/';
};

export function Login() {
  const { query } = useRoute();
  const { errors, message, busy, onSubmit } = useSubmit(
    ({ email, password }) => api.POST('/api/auth/login', { body: { email, password } }),
    (data) => {
      signIn(data);
      navigate(nextPath(query), true);
    },
  );
  return (
    <section class="narrow">
      <h1>Log in</h1>
      <form onSubmit={(e) => void onSubmit(e)} class="stack">
        <Notice text={message} />
        <Field name="email" label="Email" type="email" autoComplete="email" errors={errors} required />
        <Field name="password" label="Password" type="password" autoComplete="current-password" errors={errors} required />
        <button type="submit" disabled={busy}>
          Log in
        </button>
      </form>
      <p>
        <Link href="/forgot-password">Forgot your password?</Link> · <Link href="/register">Create an account</Link>
      </p>
    </section>
  );
}

export function Register() {
  const { errors, message, busy, onSubmit } = useSubmit(
    async ({ name, email, password }) => {
      const registered = await api.POST('/api/auth/register', { body: { name, email, password } });
      if (registered.error) return registered;
      return api.POST('/api/auth/login', { body: { email, password } });
    },
    (data) => {
      signIn(data);
      navigate('/account?welcome=1', true);
    },
  );
  return (
    <section class="narrow">
      <h1>Create an account</h1>
      <form onSubmit={(e) => void onSubmit(e)} class="stack">
        <Notice text={message} />
        <Field name="name" label="Name" autoComplete="name" errors={errors} required />
        <Field name="email" label="Email" type="email" autoComplete="email" errors={errors} required />
        <Field name="password" label="Password" type="password" autoComplete="new-password" errors={errors} hint="A long phrase is best; common passwords are refused." required />
        <button type="submit" disabled={busy}>
          Register
        </button>
      </form>
    </section>
  );
}

export function ForgotPassword() {
  const [sent, setSent] = useState<string | null>(null);
  const { errors, message, busy, onSubmit } = useSubmit(
    ({ email }) => api.POST('/api/auth/password-reset', { body: { email } }),
    (data) => setSent(data.message),
  );
  return (
    <section class="narrow">
      <h1>Forgotten password</h1>
      <p>We mail you a link to choose a new one.</p>
      <Notice text={sent} kind="ok" />
      <form onSubmit={(e) => void onSubmit(e)} class="stack">
        <Notice text={message} />
        <Field name="email" label="Email" type="email" autoComplete="email" errors={errors} required />
        <button type="submit" disabled={busy}>
          Send the link
        </button>
      </form>
    </section>
  );
}

/** From the mailed link, `/reset-password?token=…`. */
export function ResetPassword() {
  const { query } = useRoute();
  const token = query.get('token') ?? '';
  const [done, setDone] = useState(false);
  const { errors, message, busy, onSubmit } = useSubmit(
    ({ password }) => api.POST('/api/auth/password-reset/confirm', { body: { token, password } }),
    () => setDone(true),
  );
  if (done) {
    return (
      <section class="narrow">
        <h1>Password changed</h1>
        <Notice text="Your new password is set." kind="ok" />
        <Link href="/login">Log in</Link>
      </section>
    );
  }
  return (
    <section class="narrow">
      <h1>Choose a new password</h1>
      {!token && <Notice text="This page needs the link from the mail (it carries a token)." />}
      <form onSubmit={(e) => void onSubmit(e)} class="stack">
        <Notice text={message} />
        <Field name="password" label="New password" type="password" autoComplete="new-password" errors={errors} required />
        <button type="submit" disabled={busy || !token}>
          Set the password
        </button>
      </form>
    </section>
  );
}

/** From the welcome mail's link, `/verify-email?token=…`: verified on arrival. */
export function VerifyEmail() {
  const { query } = useRoute();
  const [said, setSaid] = useState<{ text: string; ok: boolean } | null>(null);
  useEffect(() => {
    const token = query.get('token');
    if (!token) return setSaid({ text: 'This page needs the link from the mail (it carries a token).', ok: false });
    void api.POST('/api/auth/verify-email', { body: { token } }).then(({ error }) => {
      setSaid(error ? { text: problem(error), ok: false } : { text: 'Your email address is verified. Thank you!', ok: true });
      if (!error && session.value) session.value = { ...session.value, emailVerified: true };
    });
  }, []);
  return (
    <section class="narrow">
      <h1>Email verification</h1>
      {said ? <Notice text={said.text} kind={said.ok ? 'ok' : 'error'} /> : <p aria-busy="true">Verifying…</p>}
      <Link href="/">To the shop</Link>
    </section>
  );
}

export function Account() {
  return (
    <SignedIn>
      <AccountPage />
    </SignedIn>
  );
}

function AccountPage() {
  const user = useStore(session)!;
  const [said, setSaid] = useState<string | null>(null);
  useEffect(() => void api.GET('/api/users/me').then(({ data }) => data && (session.value = data.user)), []);
  const { errors, message, busy, onSubmit } = useSubmit(
    ({ name }) => api.PATCH('/api/users/me', { body: { name } }),
    (data) => {
      session.value = data.user;
      setSaid('Saved');
    },
  );
  const resend = async () => {
    const { data, error } = await api.POST('/api/auth/verify-email/resend');
    setSaid(error ? problem(error) : data.message);
  };
  const removeAddress = async (addressId: string) => {
    const { data } = await api.DELETE('/api/users/me/addresses/{addressId}', { params: { path: { addressId } } });
    if (data) session.value = data.user;
  };
  return (
    <section class="narrow">
      <h1>Your account</h1>
      <Notice text={said} kind="ok" />
      <p>
        {user.email} {user.emailVerified ? '(verified)' : '(not verified yet)'}{' '}
        {!user.emailVerified && (
          <button type="button" class="link" onClick={() => void resend()}>
            Send the verification mail again
          </button>
        )}
      </p>
      <form onSubmit={(e) => void onSubmit(e)} class="stack" aria-label="Your details">
        <Notice text={message} />
        <Field name="name" label="Name" defaultValue={user.name} errors={errors} required />
        <button type="submit" disabled={busy}>
          Save
        </button>
      </form>
      <h2>Addresses</h2>
      <ul class="plain rows">
        {user.addresses.map((a) => (
          <li key={a.id}>
            {addressLine(a)}{' '}
            <RemoveButton label={`Remove the address ${addressLine(a)}`} onClick={() => void removeAddress(a.id)} />
          </li>
        ))}
      </ul>
      <AddressForm />
    </section>
  );
}
