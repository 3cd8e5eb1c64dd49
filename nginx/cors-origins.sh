#!/bin/sh
# Writes cors-origins.conf beside nginx.conf from CORS_ORIGINS (comma separated, such as
# "https://shop.example.com,http://localhost:5173"): one entry a line of nginx.conf's
# `map $http_origin $cors_origin`. No CORS_ORIGINS: an empty file, and no origin is allowed.
# The official nginx image runs it at start from /docker-entrypoint.d/; npm run start:nginx and
# the tests run it too, with NGINX_CONF_DIR pointing at their folder.
set -eu
out="${NGINX_CONF_DIR:-/etc/nginx}/cors-origins.conf"
: > "$out"
for origin in $(printf '%s' "${CORS_ORIGINS:-}" | tr ',' ' '); do
  # An origin is scheme://host[:port], nothing more: anything else could change the map's meaning.
  if ! printf '%s' "$origin" | grep -Eq '^https?://[A-Za-z0-9.-]+(:[0-9]{1,5})?$'; then
    echo "cors-origins.sh: \"$origin\" in CORS_ORIGINS is not an origin (scheme://host[:port])" >&2
    exit 1
  fi
  printf '"%s" $http_origin;\n' "$origin" >> "$out"
done
echo "cors-origins.sh: $(wc -l < "$out" | tr -d ' ') CORS origin(s) allowed" >&2
