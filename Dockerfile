# The shop's own images, for docker compose and for the connector on Kubernetes:
#   docker build --target gateway   -t food-shop/gateway .     the local OpenFaaS-compatible gateway
#                                                              (every function in one process, npm start)
#   docker build --target connector -t food-shop/connector .   the outbox relay, event connector and
#                                                              async worker (npm run connector)
# Function images for OpenFaaS are built by faas-cli from templates/shop-node20 instead.
ARG NODE_IMAGE=node:20-alpine

FROM ${NODE_IMAGE} AS base
WORKDIR /app
# Dependencies first, so this layer is reused until the lockfile changes. No install scripts:
# native code (@node-rs/argon2) comes prebuilt for musl from the registry.
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund && npm cache clean --force
COPY tsconfig.json stack.yml ./
COPY platform platform
COPY domain domain
COPY adapters adapters
COPY functions functions
COPY runtime runtime
COPY templates templates
COPY scripts scripts
USER node
ENV NODE_ENV=production DATA_DIR=/tmp/shop-data

FROM base AS connector
ENV CONNECTOR_PORT=8081
HEALTHCHECK --interval=10s --timeout=3s CMD wget -qO- http://127.0.0.1:8081/healthz || exit 1
CMD ["node", "--import", "tsx", "runtime/connector-main.ts"]

FROM base AS gateway
ENV HOST=0.0.0.0 PORT=8080
EXPOSE 8080
HEALTHCHECK --interval=10s --timeout=3s CMD wget -qO- http://127.0.0.1:8080/healthz || exit 1
CMD ["node", "--import", "tsx", "runtime/main.ts"]
