# syntax=docker/dockerfile:1
# One image for the four services and the console; the service is chosen at build time (--build-arg SERVICE=dispatch)
# or at run time (SERVICE=dispatch in the environment). It runs: node services/$SERVICE/dist/main.js
ARG NODE_IMAGE=node:20-bookworm-slim

# --- manifests: only the package.json files and the lockfile, so the install below stays cached
#     until a dependency changes (this stage re-runs on any source change, its output does not).
FROM ${NODE_IMAGE} AS manifests
WORKDIR /src
COPY . .
RUN mkdir -p /out \
 && find . -name package.json -not -path '*/node_modules/*' -exec cp --parents '{}' /out/ ';' \
 && cp package-lock.json /out/

# --- build: install everything, compile TypeScript, then drop the dev dependencies.
FROM ${NODE_IMAGE} AS build
WORKDIR /app
ENV CI=true \
    npm_config_fund=false \
    npm_config_audit=false \
    npm_config_update_notifier=false
COPY --from=manifests /out/ ./
# `npm install` installs the locked versions; `npm ci` rejects npm 11's own lockfile (npm/cli#4828).
RUN npm install
COPY . .
# The console's web app is bundled by Vite (a dev dependency) into services/console/web/dist before the prune.
RUN npm run build \
 && npm run -s build:web -w @county/console \
 && npm prune --omit=dev

# --- runtime: compiled output plus production node_modules, run as the unprivileged node user.
FROM ${NODE_IMAGE} AS runtime
ARG SERVICE=intake
ENV NODE_ENV=production \
    SERVICE=${SERVICE} \
    HOST=0.0.0.0 \
    LOG_LEVEL=info
WORKDIR /app
COPY --from=build --chown=node:node /app/package.json /app/package-lock.json ./
COPY --from=build --chown=node:node /app/node_modules ./node_modules
COPY --from=build --chown=node:node /app/packages ./packages
COPY --from=build --chown=node:node /app/services ./services
USER node
# The services answer GET /health/ready on $PORT (set per service in docker-compose.yml).
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s --retries=5 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/health/ready').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
CMD ["sh", "-c", "exec node \"services/${SERVICE}/dist/main.js\""]
