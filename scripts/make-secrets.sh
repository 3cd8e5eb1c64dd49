#!/bin/sh
# Makes the secret files docker compose mounts, in ./secrets (git ignores it):
#   sh scripts/make-secrets.sh            makes the missing ones, keeps the rest
#   sh scripts/make-secrets.sh --force    makes them all anew (then: docker compose down -v, since
#                                         RabbitMQ keeps the password of its first start)
# The gateway and the connector read them in /var/openfaas/secrets, where OpenFaaS mounts secrets;
# on Kubernetes the same names are made with faas-cli secret create (deploy/make-secrets.sh).
set -eu
cd "$(dirname "$0")/.."
dir=secrets
force=${1:-}
mkdir -p "$dir"
# The folder keeps other users of this machine out. The files must stay readable (0644): compose
# bind-mounts them, and the containers read them as their own users, not as yours.
chmod 700 "$dir"
umask 022

random() { openssl rand -hex 24; }

# make <name> <command…>: writes the command's output to secrets/<name> unless it exists.
make() {
  name=$1
  shift
  if [ -s "$dir/$name" ] && [ "$force" != "--force" ]; then return; fi
  "$@" > "$dir/$name.new"
  mv "$dir/$name.new" "$dir/$name"
  echo "made $dir/$name"
}

# The first admin, created at the gateway's first start: change the email before that if you like.
make admin-email printf 'admin@shop.local'
make admin-password random
make internal-token random
make jwt-private-key openssl genpkey -algorithm ed25519
make jwt-public-key openssl pkey -in "$dir/jwt-private-key" -pubout
make rabbitmq-password random
# RabbitMQ reads conf.d/*.conf; the user is made on its first start only (an empty volume).
make rabbitmq.conf printf 'default_user = shop\ndefault_pass = %s\n' "$(cat "$dir/rabbitmq-password")"
make amqp-url printf 'amqp://shop:%s@rabbitmq:5672' "$(cat "$dir/rabbitmq-password")"
# MongoDB and Redis listen on compose's network only (no credentials there): in production these
# URLs carry them, hence secrets too.
# The replica set's member is localhost:27017 (for the host's tests): containers connect directly.
make database-url printf 'mongodb://mongo:27017/shop?replicaSet=rs0&directConnection=true'
make redis-url printf 'redis://redis:6379'
# Cards: `none` takes cash on delivery only. Put Stripe's secret key (sk_…) and the webhook's
# signing secret (whsec_…) in these two files, and STRIPE_PUBLISHABLE_KEY in the environment.
make stripe-secret-key printf 'none'
make stripe-webhook-secret printf 'none'
