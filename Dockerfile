# The product as compiled JavaScript: `node dist/bin/start.js` (everything in one process, the default) or
# `node dist/bin/serve.js <role>` (one role per container; docker-compose.yml, deploy/k8s/). No TypeScript loader at
# run time, no dev dependencies, and it runs as the unprivileged `node` user. docs/deployment.md.

# 1. Compile: every dependency (tsc), then scripts/build.sh → dist/ with the schema and config files beside the code.
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY . .
RUN npm run build

# 2. Runtime dependencies only.
FROM node:20-bookworm-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund && npm cache clean --force

# 3. The image: node, the production node_modules and dist/, owned by root and read-only to the user that runs them.
FROM node:20-bookworm-slim
ENV NODE_ENV=production \
    HOST=0.0.0.0
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json ./
USER node
EXPOSE 4000
CMD ["node", "dist/bin/start.js"]
