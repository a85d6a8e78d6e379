# planecheck's daemon as a container image. Build: docker build -t planecheck .
# Run: mount a config at /etc/planecheck/planecheck.yaml and a volume at /var/lib/planecheck (the SQLite
# database), publish 9464. test/container-image.int.test.ts runs these steps without a Docker engine.
# Node >= 20.15 (package.json engines); 22 is the current LTS.
ARG NODE_IMAGE=node:22-bookworm-slim

FROM ${NODE_IMAGE} AS build
# better-sqlite3 is a native addon: compile it here against this image's Node, with node-gyp's toolchain,
# rather than download a prebuilt binary.
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
ENV npm_config_build_from_source=true
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json ./
COPY scripts ./scripts
COPY docs ./docs
COPY src ./src
COPY action ./action
# planecheck_build_info's revision label (scripts/build.js reads it from the environment, where Docker puts
# build arguments for RUN): docker build --build-arg PLANECHECK_REVISION=$(git rev-parse HEAD) .
ARG PLANECHECK_REVISION=unknown
RUN npm run build
# The runtime keeps only production dependencies; pruning keeps the addon compiled above.
RUN npm prune --omit=dev --no-audit --no-fund

FROM ${NODE_IMAGE} AS runtime
LABEL org.opencontainers.image.title="planecheck" \
      org.opencontainers.image.description="Synthetic health checker for multi-region ML serving platforms" \
      org.opencontainers.image.source="https://github.com/planecheck/planecheck" \
      org.opencontainers.image.licenses="MIT"
ENV NODE_ENV=production
WORKDIR /app
# Owned by root and read-only to the daemon's user.
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
# The state directory is the working directory, so the default storage.path (./planecheck.db) lands there.
RUN mkdir -p /var/lib/planecheck && chown node:node /var/lib/planecheck
WORKDIR /var/lib/planecheck
USER node
ENV PLANECHECK_CONFIG=/etc/planecheck/planecheck.yaml
EXPOSE 9464
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s \
  CMD ["node", "-e", "fetch('http://127.0.0.1:9464/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# In a container the daemon listens on every interface (the config's server.listen defaults to 127.0.0.1).
CMD ["node", "/app/dist/daemon.js", "--listen", "0.0.0.0:9464"]
