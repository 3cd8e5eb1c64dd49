/** Outgoing mail: the server, the sender, the shop's name in mails, and the cart reminders. */
import { positive, sender, text, url } from './kinds.js';
import { setting } from './setting.js';

export const mail = {
  mail: {
    smtpUrl: setting({
      env: 'SMTP_URL',
      kind: url(['smtp', 'smtps'], ' (unset it for the mail folder)'),
      secret: true,
      unset: '`.eml` files in `DATA_DIR/mail` (`npm run mail` lists them)',
      about: 'the mail server, `smtp://user:pass@host:587` or `smtps://…:465` (nodemailer); see [Mail](#mail)',
    }),
    from: setting({
      env: 'MAIL_FROM',
      kind: sender,
      unset: '`"<SHOP_NAME>" <shop@localhost>`',
      about: 'the sender of every mail, such as `Food shop <shop@example.com>`; its domain names the mails\' `Message-ID`s',
    }),
    shopName: setting({ env: 'SHOP_NAME', kind: text, default: 'Food shop', about: 'the shop\'s name in subjects and mails' }),
  },
  abandonedCartHours: setting({
    env: 'ABANDONED_CART_HOURS',
    kind: positive('a number of hours above 0 (fractions allowed)'),
    default: '24',
    about: 'hours a cart stays untouched before `remind-abandoned-carts` mails an opted-in customer (once per cart state)',
  }),
};

interface MailConfig {
  port: number;
  publicUrl: string;
  mail: { from?: string; shopName: string };
}

/** The sender of every mail: MAIL_FROM, else the shop's name at `shop@localhost`. */
export const mailSender = ({ mail }: MailConfig) => mail.from ?? `"${mail.shopName.replace(/["\\\r\n]/g, '')}" <shop@localhost>`;

/** Where the links in mails point: PUBLIC_URL, else this runtime's own address. */
export const mailLinkBase = ({ publicUrl, port }: MailConfig) => publicUrl || `http://localhost:${port}`;
