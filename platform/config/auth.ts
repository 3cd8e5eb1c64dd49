/** Accounts, tokens and the limits on password checks and registrations. */
import { count, ed25519Pem, email, text, toggle } from './kinds.js';
import { setting } from './setting.js';

const seconds = count({ what: 'a whole number of seconds' });

export const auth = {
  adminEmail: setting({
    env: 'ADMIN_EMAIL',
    kind: email,
    secret: true,
    unset: 'no admin (on embedded defaults `admin@shop.local`, with a one-time password in the log)',
    about: 'the first admin, created at start-up if missing (an existing account is never changed)',
  }),
  adminPassword: setting({
    env: 'ADMIN_PASSWORD',
    kind: text,
    secret: true,
    unset: 'no admin (unless `ADMIN_EMAIL` is unset on embedded defaults, see above)',
    about:
      "the first admin's password; one that breaks the password policy stops start-up while the admin is still to be created, " +
      'and with real services (`DATABASE_URL`) so does one that `.env.example` contains',
  }),
  jwtPrivateKey: setting({
    env: 'JWT_PRIVATE_KEY',
    kind: ed25519Pem('private'),
    secret: true,
    unset: 'a development key generated into `DATA_DIR`',
    about: 'Ed25519 PEM key (PKCS#8) that signs access tokens (`openssl genpkey -algorithm ed25519`)',
  }),
  jwtPublicKey: setting({
    env: 'JWT_PUBLIC_KEY',
    kind: ed25519Pem('public'),
    secret: true,
    unset: 'derived from `JWT_PRIVATE_KEY`',
    about: 'the Ed25519 PEM key that checks access tokens, for functions that only check them',
  }),
  /** When set, internal (event-driven) functions demand it in `X-Internal-Token`. */
  internalToken: setting({
    env: 'INTERNAL_TOKEN',
    kind: text,
    secret: true,
    unset: '`npm start` makes one for itself; a function container without one refuses every internal call (403)',
    about: 'demanded (`X-Internal-Token`) by internal, event-driven functions; the connector sends it',
  }),
  /** Whether place-order refuses customers whose email is not verified (422 EMAIL_NOT_VERIFIED). */
  requireVerifiedEmail: setting({
    env: 'REQUIRE_VERIFIED_EMAIL',
    kind: toggle,
    default: 'off',
    about: '`on`: place-order refuses customers whose email is not verified (422 `EMAIL_NOT_VERIFIED`); the link is in the welcome mail',
  }),
  sessions: {
    accessTokenTtl: setting({ env: 'ACCESS_TOKEN_TTL', kind: seconds, default: '900', about: 'seconds an access token lasts' }),
    refreshTokenTtl: setting({ env: 'REFRESH_TOKEN_TTL', kind: seconds, default: '2592000', about: 'seconds a refresh token lasts (30 days)' }),
  },
  attempts: {
    window: setting({ env: 'LOGIN_WINDOW_SECONDS', kind: seconds, default: '900', about: 'the window of every limit below' }),
    maxPerEmailAndIp: setting({
      env: 'LOGIN_MAX_PER_EMAIL_AND_IP',
      kind: count(),
      default: '10',
      about: 'password checks (login, a password change) per window for one email from one client IP; see Security for the trade-off',
    }),
    maxPerEmail: setting({
      env: 'LOGIN_MAX_PER_EMAIL',
      kind: count(),
      default: '50',
      about: 'password checks per window for one email from anywhere (the right password resets both: only failures stay)',
    }),
    maxPerIp: setting({ env: 'LOGIN_MAX_PER_IP', kind: count(), default: '100', about: 'password checks per window from one client IP (every check)' }),
    registerMaxPerIp: setting({ env: 'REGISTER_MAX_PER_IP', kind: count(), default: '20', about: 'registrations per client IP per window' }),
    resetMaxPerEmail: setting({
      env: 'RESET_MAX_PER_EMAIL',
      kind: count(),
      default: '5',
      about: 'password-reset and verification mails asked for per window for one email (known or not), from anywhere',
    }),
    resetMaxPerIp: setting({
      env: 'RESET_MAX_PER_IP',
      kind: count(),
      default: '20',
      about: 'password-reset and verification mails asked for per window from one client IP',
    }),
  },
};
