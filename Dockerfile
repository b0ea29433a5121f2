# syntax=docker/dockerfile:1

# ---- build: compile TypeScript with the dev dependencies ----
FROM node:24-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY web ./web
# The console's API types are generated from the committed OpenAPI document.
COPY docs/openapi.json ./docs/openapi.json
# The service (dist/) and the web console it serves at / (dist/public, built by Vite).
RUN npm run build

# ---- runtime: production dependencies, compiled code, the built console and migrations only ----
FROM node:24-bookworm-slim AS runtime
ENV NODE_ENV=production \
    PORT=3000 \
    HOST=0.0.0.0 \
    DATA_DIR=/app/data
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/dist ./dist
COPY drizzle ./drizzle
# The labelled set `node dist/semantic-calibrate.js` measures the configured embedding model on.
COPY bench/semantic/labelled-pairs.json ./bench/semantic/labelled-pairs.json
RUN mkdir -p /app/data && chown node:node /app/data
USER node
# Only for the embedded database (no DATABASE_URL); a PostgreSQL deployment writes nothing here.
VOLUME ["/app/data"]
EXPOSE 3000
# Asks /health/live where the service serves it: the internal listener when OPS_PORT names a port (the
# service port then answers 404 for it), on OPS_HOST or, for a wildcard, the loopback (src/health/container-health-check.ts).
HEALTHCHECK --interval=15s --timeout=3s --start-period=20s --retries=3 \
  CMD ["node", "dist/health/container-health-check.js"]
# node as PID 1 receives SIGTERM directly: the service drains and exits 0 (see docs/operations.md).
STOPSIGNAL SIGTERM
# The Node flags of `npm start` (package.json config.node_flags; docs/decisions.md, "Hot paths and memory").
CMD ["node", "--max-semi-space-size=8", "--liftoff-only", "dist/main.js"]
