# The shop's own images, for docker compose and for the connector on Kubernetes:
#   docker build --target gateway   -t food-shop/gateway .     the local OpenFaaS-compatible gateway
#                                                              (every function in one process, npm start)
#   docker build --target connector -t food-shop/connector .   the outbox relay, event connector and
#                                                              async worker (npm run connector)
#   docker build --target edge      -t food-shop/edge .        nginx with nginx/nginx.conf, the public
#                                                              edge (CORS_ORIGINS, TRUSTED_PROXIES) and
#                                                              the storefront's files (web/)
# Function images for OpenFaaS are built by faas-cli from templates/shop-node26 instead.
ARG NODE_IMAGE=node:26-alpine
ARG NGINX_IMAGE=nginx:1.27-alpine

FROM ${NODE_IMAGE} AS base
WORKDIR /app
# Dependencies first, so this layer is reused until the lockfile changes. No install scripts:
# native code (@node-rs/argon2) comes prebuilt for musl from the registry.
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund && npm cache clean --force
# .env.example too: with real services the start refuses an ADMIN_PASSWORD taken from it.
COPY tsconfig.json stack.yml .env.example ./
COPY platform platform
COPY domain domain
COPY adapters adapters
COPY functions functions
COPY runtime runtime
COPY templates templates
COPY scripts scripts
# Local product images and the development key live here; compose keeps it on a volume.
RUN mkdir -p /var/lib/shop && chown node:node /var/lib/shop
USER node
ENV NODE_ENV=production DATA_DIR=/var/lib/shop

FROM base AS connector
ENV CONNECTOR_PORT=8081
HEALTHCHECK --interval=10s --timeout=3s CMD wget -qO- http://127.0.0.1:8081/healthz || exit 1
CMD ["node", "--import", "tsx", "runtime/connector-main.ts"]

FROM base AS gateway
ENV HOST=0.0.0.0 PORT=8080
EXPOSE 8080
HEALTHCHECK --interval=10s --timeout=3s CMD wget -qO- http://127.0.0.1:8080/healthz || exit 1
CMD ["node", "--import", "tsx", "runtime/main.ts"]

# The storefront (web/), built with the devDependencies (vite) against the functions' OpenAPI
# document; only its files go on, into the edge.
FROM ${NODE_IMAGE} AS web
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.json stack.yml ./
COPY platform platform
COPY domain domain
COPY adapters adapters
COPY functions functions
COPY runtime runtime
COPY scripts scripts
COPY web web
RUN node --import tsx scripts/build-web.ts

# The official image runs /docker-entrypoint.d/*.sh before nginx: ours writes CORS_ORIGINS and
# TRUSTED_PROXIES into the files nginx.conf includes. The storefront is served from its files.
FROM ${NGINX_IMAGE} AS edge
COPY --from=web /app/web/dist /usr/share/nginx/shop
COPY nginx/nginx.conf /etc/nginx/nginx.conf
COPY --chmod=755 nginx/edge-env.sh /docker-entrypoint.d/40-edge-env.sh
HEALTHCHECK --interval=10s --timeout=3s CMD wget -qO- http://127.0.0.1/healthz || exit 1
