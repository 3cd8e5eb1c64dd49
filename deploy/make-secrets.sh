#!/bin/sh
# Makes every secret the functions (stack.yml) and deploy/*.yaml name, with faas-cli secret create,
# in the functions' namespace (openfaas-fn). Run it after `faas-cli login`, with the services' URLs:
#
#   DATABASE_URL='mongodb+srv://…/shop' REDIS_URL='rediss://…' AMQP_URL='amqps://…' \
#   CLOUDINARY_URL='cloudinary://key:secret@cloud' SMTP_URL='smtps://user:pass@smtp.example.com' \
#   ADMIN_EMAIL='admin@shop.example.com' \
#   ADMIN_PASSWORD='…' sh deploy/make-secrets.sh
#
# Optional: STRIPE_SECRET_KEY='sk_live_…' STRIPE_WEBHOOK_SECRET='whsec_…' for card payments.
#
# It makes the token signing keys and the internal token itself, and copies the gateway's basic
# auth (kubectl, namespace openfaas) for the connector. Run again, it updates every secret (new
# signing keys: everyone logs in again); functions read secrets at start, so deploy them again
# after (faas-cli deploy -f stack.yml) and restart the connector.
set -eu
for var in DATABASE_URL REDIS_URL AMQP_URL CLOUDINARY_URL SMTP_URL ADMIN_EMAIL ADMIN_PASSWORD; do
  eval "value=\${$var:-}"
  # Images on OpenFaaS go to Cloudinary, mail to an SMTP server: a file written in a function
  # container is read by nobody.
  [ -n "$value" ] || { echo "make-secrets.sh: set $var (see the README, \"OpenFaaS on Kubernetes\")" >&2; exit 1; }
done

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
chmod 700 "$work"

# secret <name> <value>: through a file, so the value never shows in a process list.
secret() {
  printf '%s' "$2" > "$work/$1"
  faas-cli secret create "$1" --from-file "$work/$1" 2>/dev/null \
    || faas-cli secret update "$1" --from-file "$work/$1"
  echo "secret $1 made"
}

secret database-url "$DATABASE_URL"
secret redis-url "$REDIS_URL"
secret amqp-url "$AMQP_URL"
secret cloudinary-url "$CLOUDINARY_URL"
# The mail server of the send-* functions (smtp:// or smtps://, with its user and password).
secret smtp-url "$SMTP_URL"
# The first admin, created by login at its first start (10+ characters, not a common password).
secret admin-email "$ADMIN_EMAIL"
secret admin-password "$ADMIN_PASSWORD"
# Card payments through Stripe (README, Payment): its secret key and the webhook's signing
# secret. Without STRIPE_SECRET_KEY the shop takes cash on delivery only: the secrets hold `none`
# (faas-cli makes no empty secret, and the functions that may take a card name them).
if [ -n "${STRIPE_SECRET_KEY:-}" ] && [ -z "${STRIPE_WEBHOOK_SECRET:-}" ]; then
  echo "make-secrets.sh: set STRIPE_WEBHOOK_SECRET too (the signing secret of the shop's webhook endpoint at Stripe)" >&2
  exit 1
fi
secret stripe-secret-key "${STRIPE_SECRET_KEY:-none}"
secret stripe-webhook-secret "${STRIPE_WEBHOOK_SECRET:-none}"
secret internal-token "${INTERNAL_TOKEN:-$(openssl rand -hex 32)}"

# Ed25519 keys for access tokens: login and refresh-token sign, every other function verifies.
openssl genpkey -algorithm ed25519 -out "$work/key.pem"
secret jwt-private-key "$(cat "$work/key.pem")"
secret jwt-public-key "$(openssl pkey -in "$work/key.pem" -pubout)"

# The connector lists functions from the gateway, which asks for its basic auth: from Kubernetes,
# or given as BASIC_AUTH_USER and BASIC_AUTH_PASSWORD (faasd keeps them in /var/lib/faasd/secrets).
secret basic-auth-user "${BASIC_AUTH_USER:-$(kubectl get secret -n openfaas basic-auth -o jsonpath='{.data.basic-auth-user}' | base64 -d)}"
secret basic-auth-password "${BASIC_AUTH_PASSWORD:-$(kubectl get secret -n openfaas basic-auth -o jsonpath='{.data.basic-auth-password}' | base64 -d)}"
