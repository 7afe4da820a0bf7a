# The image the Kubernetes manifests in examples/deploy/k8s/ run (registry.example.org/sync-supervisor:0.1.0):
#   docker build -t registry.example.org/sync-supervisor:0.1.0 .
# The build stage compiles sqlite3's native addon from the source bundled in its npm package, so no prebuilt
# binary is fetched from GitHub and no Node headers from nodejs.org; only the npm registry (and Debian's mirror) is used.
FROM node:20-bookworm-slim AS build
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /opt/sync-supervisor
# build_from_source: skip prebuild-install's download; nodedir: the headers the node image already ships.
ENV npm_config_build_from_source=true npm_config_nodedir=/usr/local
COPY package.json package-lock.json tsconfig.json tsconfig.build.json ./
COPY shared ./shared
COPY supervisor ./supervisor
COPY sync-runner ./sync-runner
COPY types ./types
COPY scripts ./scripts
COPY examples ./examples
# `npm ci` runs `prepare`, which builds dist/; then the dev dependencies go.
RUN npm ci && npm prune --omit=dev

FROM node:20-bookworm-slim
WORKDIR /opt/sync-supervisor
COPY --from=build /opt/sync-supervisor/package.json /opt/sync-supervisor/package-lock.json ./
COPY --from=build /opt/sync-supervisor/node_modules ./node_modules
COPY --from=build /opt/sync-supervisor/dist ./dist
COPY --from=build /opt/sync-supervisor/examples ./examples
# The status server reads its dashboard page from the package tree at run time.
COPY --from=build /opt/sync-supervisor/supervisor/status/dashboard ./supervisor/status/dashboard
COPY README.md ecosystem.md ./
# The uid/gid the manifests' securityContext names; the data dir is created 0700 and owned by it.
RUN groupadd --gid 10001 sync-supervisor \
 && useradd --uid 10001 --gid 10001 --home-dir /var/lib/sync-supervisor --no-create-home --shell /usr/sbin/nologin sync-supervisor \
 && install -d -m 0700 -o 10001 -g 10001 /var/lib/sync-supervisor \
 && install -d -m 0755 /etc/sync-supervisor
USER 10001:10001
VOLUME ["/var/lib/sync-supervisor"]
ENV NODE_ENV=production
ENTRYPOINT ["node", "--no-turbofan", "dist/supervisor/main.js"]
CMD ["--config", "/etc/sync-supervisor/config.json"]
