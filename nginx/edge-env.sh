#!/bin/sh
# Writes what nginx.conf takes from the environment at start, beside nginx.conf:
#   cors-origins.conf  from CORS_ORIGINS (comma separated, such as
#                      "https://shop.example.com,http://localhost:5173"; `*` for any): the origins
#                      browsers may call the API from. Unset: none.
#   real-ip.conf       from TRUSTED_PROXIES (comma separated addresses or CIDRs of a load balancer
#                      or ingress in front of nginx): their X-Forwarded-For names the client, whom
#                      the per-IP limits then count. Unset: nginx is the edge and trusts no header.
# The official nginx image runs it at start from /docker-entrypoint.d/; npm run start:nginx and
# the tests run it too, with NGINX_CONF_DIR pointing at their folder.
set -eu
# The lists are split on spaces below; `*` must stay `*`, not become the files of this folder.
set -f
dir="${NGINX_CONF_DIR:-/etc/nginx}"
list() { printf '%s' "$1" | tr ',' ' '; }
refuse() {
  echo "edge-env.sh: $1" >&2
  exit 1
}

out="$dir/cors-origins.conf"
: > "$out"
for origin in $(list "${CORS_ORIGINS:-}"); do
  # `*`, as the runtime takes it: any origin (none gets credentials: tokens travel in a header).
  if [ "$origin" = '*' ]; then
    printf '"~." $http_origin;\n' >> "$out"
    continue
  fi
  # scheme://host[:port] and nothing more: anything else could change the map's meaning.
  printf '%s' "$origin" | grep -Eq '^https?://[A-Za-z0-9.-]+(:[0-9]{1,5})?$' \
    || refuse "\"$origin\" in CORS_ORIGINS is not an origin (scheme://host[:port])"
  printf '"%s" $http_origin;\n' "$origin" >> "$out"
done

out="$dir/real-ip.conf"
: > "$out"
for proxy in $(list "${TRUSTED_PROXIES:-}"); do
  printf '%s' "$proxy" | grep -Eq '^[0-9A-Fa-f.:]+(/[0-9]{1,3})?$' \
    || refuse "\"$proxy\" in TRUSTED_PROXIES is not an address or CIDR"
  printf 'set_real_ip_from %s;\n' "$proxy" >> "$out"
done
if [ -s "$out" ]; then printf 'real_ip_header X-Forwarded-For;\nreal_ip_recursive on;\n' >> "$out"; fi

echo "edge-env.sh: CORS origins: ${CORS_ORIGINS:-none}; trusted proxies: ${TRUSTED_PROXIES:-none}" >&2
