# syntax=docker/dockerfile:1
# One image, two Cloud Run services: SERVICE_ROLE=webhook or SERVICE_ROLE=steps (terraform/run.tf).
# TypeScript runs on Node's own type stripping (22.18 and later): no compile step to drift from what
# the tests ran, and no loader in the service's memory. tsconfig's erasableSyntaxOnly keeps the code
# to what Node can strip.

# An exact Node release (the one the tests run: the `node` dev dependency), not the moving `22` tag,
# so a rebuild of the same sources gets the same runtime. Bump both together.
ARG NODE_IMAGE=node:22.23.3-slim

FROM ${NODE_IMAGE} AS dependencies
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force

FROM ${NODE_IMAGE}
ENV NODE_ENV=production
WORKDIR /app
# Everything is owned by root and only readable by the service user: the process cannot
# rewrite its own code.
COPY --from=dependencies /app/node_modules ./node_modules
COPY package.json tsconfig.json ./
COPY handlers ./handlers
COPY simulators ./simulators
COPY workflows ./workflows
# startup/startup.sh is sent to every runner VM as its startup-script metadata.
COPY startup ./startup
# The image's own non-root user (uid 1000).
USER node
# Cloud Run sets PORT (8080 by default); SIGTERM closes the server and drains requests.
EXPOSE 8080
CMD ["node", "--heap-growing-percent=25", "handlers/main.ts"]
