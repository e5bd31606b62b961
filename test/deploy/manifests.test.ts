/**
 * The deployment files, checked offline (issue 17): deploy/k8s/ rendered with kustomize and validated against the
 * Kubernetes OpenAPI schemas that ship inside PyPI's kubernetes-validate; docker-compose.yml against the Compose
 * specification's JSON schema and .github/workflows/ci.yml against GitHub's workflow schema, both vendored inside
 * PyPI's check-jsonschema. scripts/deploy-tools.sh builds kustomize (Go module proxy) and the venv once, cached
 * outside the work tree. Then what the files promise — one service per role, probes, requests, budgets,
 * autoscalers, secrets by reference, only the gateway reaching subgraphs, settings each role accepts — is read
 * from the parsed files. No Docker and no cluster needed.
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import { loadConfig } from '../../platform/config.ts';
import { loadServiceConfig } from '../../platform/service-config.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
const K8S_VERSIONS = ['1.29.0', '1.37.0'];

// The roles of `serve <role>` (stack/roles/roles.ts): the fixed ones, then one per supplier of the suppliers file.
const SUPPLIER_ROLES = loadConfig({}).supplierEntries.map((e) => `supplier-${e.slug}`);
const ROLES = ['gateway', 'catalog', 'inventory', 'orders', 'access', 'ingest', 'jobs', ...SUPPLIER_ROLES];
/** Subgraph names (and so roles) from the committed supergraph. */
const SUBGRAPHS = [...readFileSync(path.join(ROOT, 'schema/supergraph.graphql'), 'utf8').matchAll(/@join__graph\(name: "([^"]+)"/g)].map((m) => m[1]!);
const STATELESS = ROLES.filter((r) => r !== 'jobs');
const SCALED_IN_COMPOSE = ['gateway', 'inventory', 'ingest', ...SUPPLIER_ROLES];
/** Settings that are secrets: never a literal in a manifest or the compose file. */
const SECRET_SETTING = /^(SECRETS_KEK|SECRETS_KEK_PREVIOUS|GATEWAY_SIGNING_SECRET|ORDER_WEBHOOK_ENDPOINTS)$|_(SECRET|SECRETS|PASSWORD|TOKEN|CLIENT_SECRET)$/;

type Doc = Record<string, any>;

function run(command: string, args: string[], input?: string, timeoutMs = 120_000): { status: number | null; out: string } {
  const r = spawnSync(command, args, { cwd: ROOT, encoding: 'utf8', input, timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024 });
  return { status: r.status, out: `${r.stdout ?? ''}${r.stderr ?? ''}${r.error ? String(r.error) : ''}` };
}

/** Placeholder values a deployer puts in the Secret / env file, so the settings can be validated as a role would. */
const secretValues = (): Record<string, string> => ({
  SECRETS_KEK: `deploy-test:${randomBytes(32).toString('base64')}`,
  GATEWAY_SIGNING_SECRET: randomBytes(48).toString('base64'),
});

let tools: { kustomize: string; python: string; checkJsonschema: string };
let work: string;
let base: Doc[];
let example: Doc[];

beforeAll(() => {
  // A clean machine builds kustomize and the venv here (≈ 3.5 min on a loaded machine; .ci/run does it before the
  // tests, so this normally only finds them).
  const env = run('bash', ['scripts/deploy-tools.sh', 'env'], undefined, 540_000);
  if (env.status !== 0) throw new Error(`scripts/deploy-tools.sh env failed:\n${env.out}`);
  const value = (name: string) => /export (\w+)=(.*)/.exec(env.out.split('\n').find((l) => l.startsWith(`export ${name}=`)) ?? '')?.[2] ?? '';
  const python = value('DEPLOY_PYTHON');
  tools = { kustomize: value('KUSTOMIZE'), python, checkJsonschema: path.join(path.dirname(python), 'check-jsonschema') };
  work = mkdtempSync(path.join(os.tmpdir(), 'dropship-deploy-'));
  const render = (dir: string): Doc[] => {
    const r = run(tools.kustomize, ['build', dir]);
    if (r.status !== 0) throw new Error(`kustomize build ${dir} failed:\n${r.out}`);
    writeFileSync(path.join(work, `${path.basename(dir)}.yaml`), r.out);
    return parseAllDocuments(r.out).map((d) => d.toJS() as Doc);
  };
  base = render('deploy/k8s/base');
  example = render('deploy/k8s/overlays/example');
}, 600_000);

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

const ofKind = (docs: Doc[], kind: string) => docs.filter((d) => d.kind === kind);
const named = (docs: Doc[], kind: string, name: string) => docs.find((d) => d.kind === kind && d.metadata.name === name);
const matches = (selector: Record<string, string> | undefined, labels: Record<string, string>) =>
  Object.entries(selector ?? {}).every(([k, v]) => labels[k] === v);
const roleOf = (deployment: Doc): string => {
  const args: string[] = deployment.spec.template.spec.containers[0].args;
  expect(args.slice(0, 2)).toEqual(['node', 'dist/bin/serve.js']);
  return args[2]!;
};

describe('schema checks (offline)', () => {
  it('the rendered base and example overlay validate against Kubernetes schemas, strictly', { timeout: 240_000 }, () => {
    for (const file of ['base.yaml', 'example.yaml']) {
      for (const version of K8S_VERSIONS) {
        const r = run(tools.python, ['-m', 'kubernetes_validate', '--strict', '--quiet', '-k', version, path.join(work, file)]);
        expect(r.status, `${file} against ${version}:\n${r.out}`).toBe(0);
      }
    }
    expect(example.length).toBeGreaterThan(40);
  });

  it('the Kubernetes check fails a Deployment with a misspelt field or a wrong type', { timeout: 120_000 }, () => {
    const deployment = structuredClone(named(example, 'Deployment', 'dropship-gateway')!);
    deployment.spec.template.spec.containers[0].readinessprobe = deployment.spec.template.spec.containers[0].readinessProbe;
    const misspelt = path.join(work, 'misspelt.json');
    writeFileSync(misspelt, JSON.stringify(deployment));
    expect(run(tools.python, ['-m', 'kubernetes_validate', '--strict', '--quiet', '-k', '1.37.0', misspelt]).status).not.toBe(0);
    const wrongType = structuredClone(named(example, 'Deployment', 'dropship-gateway')!);
    wrongType.spec.replicas = 'three';
    const typed = path.join(work, 'typed.json');
    writeFileSync(typed, JSON.stringify(wrongType));
    expect(run(tools.python, ['-m', 'kubernetes_validate', '--strict', '--quiet', '-k', '1.37.0', typed]).status).not.toBe(0);
  });

  it('docker-compose.yml validates against the Compose specification', { timeout: 60_000 }, () => {
    const r = run(tools.checkJsonschema, ['--builtin-schema', 'vendor.compose-spec', 'docker-compose.yml']);
    expect(r.status, r.out).toBe(0);
  });

  it('the Compose check fails an unknown key, also one that reaches services through the shared anchor', { timeout: 60_000 }, () => {
    const text = readFileSync(path.join(ROOT, 'docker-compose.yml'), 'utf8');
    const inAnchor = text.replace(/^ {2}stop_grace_period:/m, '  stop_grace_periodd:');
    expect(inAnchor).not.toBe(text);
    const file = path.join(work, 'compose-bad.yml');
    writeFileSync(file, inAnchor);
    const r = run(tools.checkJsonschema, ['--builtin-schema', 'vendor.compose-spec', file]);
    expect(r.status).not.toBe(0);
    expect(r.out).toMatch(/services\.gateway.*stop_grace_periodd/);
  });

  it('.github/workflows/ci.yml validates against the GitHub workflow schema', { timeout: 60_000 }, () => {
    const r = run(tools.checkJsonschema, ['--builtin-schema', 'vendor.github-workflows', '.github/workflows/ci.yml']);
    expect(r.status, r.out).toBe(0);
  });
});

describe.each([
  ['base', () => base],
  ['example overlay', () => example],
] as const)('Kubernetes (%s)', (_name, docs) => {
  const deployments = () => ofKind(docs(), 'Deployment');
  const podLabels = (role: string): Record<string, string> => deployments().find((d) => roleOf(d) === role)!.spec.template.metadata.labels;

  it('runs every role as its own Deployment, and nothing else', () => {
    expect(deployments().map(roleOf).sort()).toEqual([...ROLES].sort());
    expect(new Set(deployments().map((d) => d.spec.template.spec.containers[0].image)).size).toBe(1);
  });

  it('gives every Deployment probes, resource requests, a memory limit and a restricted security context', () => {
    for (const d of deployments()) {
      const pod = d.spec.template.spec;
      const c = pod.containers[0];
      const where = d.metadata.name;
      expect(c.startupProbe?.httpGet, where).toEqual({ path: '/healthz', port: 'http' });
      expect(c.livenessProbe?.httpGet, where).toEqual({ path: '/healthz', port: 'http' });
      expect(c.readinessProbe?.httpGet, where).toEqual({ path: '/readyz', port: 'http' });
      expect(c.ports, where).toEqual([{ name: 'http', containerPort: 8080 }]);
      expect(c.resources.requests.cpu, where).toBeTruthy();
      expect(c.resources.requests.memory, where).toBeTruthy();
      expect(c.resources.limits.memory, where).toBeTruthy();
      expect(pod.securityContext, where).toMatchObject({ runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } });
      expect(c.securityContext, where).toMatchObject({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } });
      expect(pod.automountServiceAccountToken, where).toBe(false);
      expect(d.spec.replicas, where).toBeGreaterThanOrEqual(2);
    }
  });

  it('references secrets and never inlines them', () => {
    expect(ofKind(docs(), 'Secret')).toEqual([]);
    const configMaps = ofKind(docs(), 'ConfigMap');
    for (const d of deployments()) {
      const c = d.spec.template.spec.containers[0];
      expect(c.envFrom).toContainEqual({ secretRef: { name: 'dropship-secrets' } });
      const configMap = c.envFrom.find((e: Doc) => e.configMapRef)?.configMapRef.name;
      expect(configMaps.map((m) => m.metadata.name)).toContain(configMap);
      for (const e of c.env ?? []) expect(SECRET_SETTING.test(e.name), `${d.metadata.name} sets ${e.name} inline`).toBe(false);
    }
    for (const m of configMaps) for (const key of Object.keys(m.data ?? {})) expect(SECRET_SETTING.test(key), `ConfigMap holds ${key}`).toBe(false);
  });

  it('puts a Service and a PodDisruptionBudget in front of every Deployment', () => {
    for (const d of deployments()) {
      const labels = d.spec.template.metadata.labels;
      const services = ofKind(docs(), 'Service').filter((s) => matches(s.spec.selector, labels));
      expect(services.map((s) => s.metadata.name), d.metadata.name).toEqual([d.metadata.name]);
      expect(services[0]!.spec.ports).toEqual([{ name: 'http', port: 80, targetPort: 'http' }]);
      const budgets = ofKind(docs(), 'PodDisruptionBudget').filter((p) => matches(p.spec.selector.matchLabels, labels));
      expect(budgets.length, d.metadata.name).toBe(1);
      const { maxUnavailable, minAvailable } = budgets[0]!.spec;
      expect(maxUnavailable === 1 || (typeof minAvailable === 'number' && minAvailable < d.spec.replicas), d.metadata.name).toBe(true);
    }
  });

  it('autoscales every stateless role and not the lease-holding jobs', () => {
    const hpas = ofKind(docs(), 'HorizontalPodAutoscaler');
    const target = (role: string) => hpas.filter((h) => h.spec.scaleTargetRef.name === deployments().find((d) => roleOf(d) === role)!.metadata.name);
    for (const role of STATELESS) {
      const [hpa, ...more] = target(role);
      expect(more, role).toEqual([]);
      expect(hpa?.spec.scaleTargetRef, role).toMatchObject({ apiVersion: 'apps/v1', kind: 'Deployment' });
      expect(hpa!.spec.minReplicas, role).toBeGreaterThanOrEqual(2);
      expect(hpa!.spec.maxReplicas, role).toBeGreaterThan(hpa!.spec.minReplicas);
    }
    expect(target('jobs')).toEqual([]);
  });

  it('lets only the gateway reach the subgraphs (the overlay adds Prometheus from its namespace)', () => {
    const policies = ofKind(docs(), 'NetworkPolicy').filter((p) => p.spec.policyTypes.includes('Ingress'));
    const gateway = podLabels('gateway');
    expect(SUBGRAPHS.length).toBeGreaterThanOrEqual(7);
    for (const subgraph of SUBGRAPHS) {
      const selecting = policies.filter((p) => matches(p.spec.podSelector.matchLabels, podLabels(subgraph)));
      // Selected by at least one policy: the pod is isolated, and only what the rules list may connect.
      expect(selecting.length, subgraph).toBeGreaterThan(0);
      const peers = selecting.flatMap((p) => (p.spec.ingress ?? []).map((rule: Doc) => rule.from));
      for (const from of peers) {
        expect(from, `${subgraph}: a rule without "from" admits everyone`).toBeDefined();
        for (const peer of from as Doc[]) {
          if (peer.namespaceSelector) {
            // Only the example's Prometheus, in its own namespace.
            expect(peer).toEqual({ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } }, podSelector: { matchLabels: { 'app.kubernetes.io/name': 'prometheus' } } });
            continue;
          }
          expect(Object.keys(peer), subgraph).toEqual(['podSelector']);
          expect(matches(peer.podSelector.matchLabels, gateway), subgraph).toBe(true);
          for (const other of ROLES.filter((r) => r !== 'gateway')) expect(matches(peer.podSelector.matchLabels, podLabels(other)), `${other} may reach ${subgraph}`).toBe(false);
        }
      }
    }
    if (docs() === base) expect(policies.flatMap((p) => p.spec.ingress ?? []).flatMap((r: Doc) => r.from ?? []).filter((peer: Doc) => peer.namespaceSelector)).toEqual([]);
  });

  it("sends the gateway to every subgraph of the supergraph through that subgraph's Service", () => {
    const gateway = deployments().find((d) => roleOf(d) === 'gateway')!;
    const env = Object.fromEntries((gateway.spec.template.spec.containers[0].env as Doc[]).map((e) => [e.name, e.value]));
    for (const subgraph of SUBGRAPHS) {
      const url = new URL(env[`SUBGRAPH_URL_${subgraph.toUpperCase().replaceAll('-', '_')}`]);
      const service = named(docs(), 'Service', url.hostname);
      expect(service, subgraph).toBeDefined();
      expect(matches(service!.spec.selector, podLabels(subgraph)), subgraph).toBe(true);
      expect(url.port === '' && url.pathname === '/graphql', subgraph).toBe(true);
    }
  });

  it("gives each role settings it accepts, and with the Secret's keys a serving process starts", () => {
    const configMap = ofKind(docs(), 'ConfigMap')[0]!.data as Record<string, string>;
    for (const d of deployments()) {
      const own = Object.fromEntries((d.spec.template.spec.containers[0].env as Doc[]).map((e) => [e.name, e.value as string]));
      const env = { ...configMap, ...own, MONGO_URL: 'mongodb://mongo.example:27017/?replicaSet=rs0', REDIS_URL: 'redis://redis.example:6379' };
      // Without the Secret's key the process refuses (platform/service-config.ts); with it, the settings are valid.
      expect(() => loadServiceConfig(env), d.metadata.name).toThrow(/SECRETS_KEK: required when MONGO_URL is set/);
      const config = loadServiceConfig({ ...env, ...secretValues() });
      expect(config.port ?? config.gatewayPort, d.metadata.name).toBe(8080);
      expect(config.host).toBe('0.0.0.0');
    }
  });
});

describe('docker-compose.yml', () => {
  const compose = parse(readFileSync(path.join(ROOT, 'docker-compose.yml'), 'utf8'), { merge: true }) as Doc;
  const services = compose.services as Record<string, Doc>;
  const onByDefault = Object.entries(services).filter(([, s]) => !s.profiles);
  /** `${NAME:-default}` as compose interpolates it with NAME unset. */
  const interpolate = (value: string) => value.replace(/\$\{\w+:-([^}]*)\}/g, '$1');

  it('runs every role as its own service with `node dist/bin/serve.js <role>`', () => {
    for (const role of ROLES) expect(services[role]?.command, role).toEqual(['node', 'dist/bin/serve.js', role]);
    const serving = onByDefault.filter(([, s]) => Array.isArray(s.command) && s.command[1] === 'dist/bin/serve.js');
    expect(serving.map(([name]) => name).sort()).toEqual([...ROLES].sort());
  });

  it('can scale gateway, inventory, ingest and the supplier subgraphs: no fixed host port or name; one entry publishes 4000', () => {
    for (const role of SCALED_IN_COMPOSE) {
      expect(services[role]!.ports, role).toBeUndefined();
      expect(services[role]!.container_name, role).toBeUndefined();
    }
    const published = onByDefault.filter(([, s]) => s.ports);
    expect(published.map(([name]) => name)).toEqual(['edge']);
    expect(services.edge!.ports).toEqual(['4000:80']);
    const edge = readFileSync(path.join(ROOT, 'deploy/compose/edge.conf'), 'utf8');
    expect(edge).toMatch(/resolver 127\.0\.0\.11/);
    const locations = Object.fromEntries([...edge.matchAll(/location (\S+) \{([^}]*)\}/g)].map((m) => [m[1], m[2]!]));
    expect(locations['/webhooks/']).toMatch(/set \$ingest http:\/\/ingest:8080;\s*proxy_pass \$ingest;/);
    expect(locations['/']).toMatch(/set \$gateway http:\/\/gateway:8080;\s*proxy_pass \$gateway;/);
    expect(locations['/']).toMatch(/proxy_set_header Upgrade \$http_upgrade;/);
    // A location that sets any header inherits none from the server: each must pass the client's address itself.
    for (const [where, body] of Object.entries(locations)) expect(body, where).toMatch(/proxy_set_header X-Forwarded-For \$proxy_add_x_forwarded_for;/);
  });

  it('runs MongoDB as a replica set, initiated before any role starts, and Redis with persistence', () => {
    expect(services.mongo!.command).toEqual(expect.arrayContaining(['--replSet', 'rs0']));
    expect(services['mongo-init']!.command.join(' ')).toMatch(/rs\.initiate\(\{ _id: 'rs0'/);
    expect(services.redis!.command).toEqual(expect.arrayContaining(['--appendonly', 'yes']));
    for (const role of ROLES) {
      expect(services[role]!.depends_on['mongo-init'], role).toEqual({ condition: 'service_completed_successfully' });
      expect(services[role]!.depends_on.redis, role).toEqual({ condition: 'service_healthy' });
      expect(new URL(services[role]!.environment.MONGO_URL).searchParams.get('replicaSet'), role).toBe('rs0');
    }
  });

  it('has a healthcheck on every long-running service', () => {
    for (const [name, s] of Object.entries(services)) {
      if (s.restart === 'no' || s.profiles?.includes('observability')) continue;
      expect(s.healthcheck?.test, name).toBeDefined();
    }
    for (const role of ROLES) expect(services[role]!.healthcheck.test.join(' '), role).toContain('http://127.0.0.1:8080/readyz');
  });

  it('takes secrets from the env file only; the example file keeps the key empty, so a role refuses until it is set', () => {
    const example = readFileSync(path.join(ROOT, 'deploy/compose/dropship.env.example'), 'utf8');
    const fromExample = Object.fromEntries(example.split('\n').filter((l) => /^[A-Z_]+=/.test(l)).map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));
    expect(Object.keys(fromExample).sort()).toEqual(['GATEWAY_SIGNING_SECRET', 'SECRETS_KEK']);
    expect(readFileSync(path.join(ROOT, '.gitignore'), 'utf8')).toMatch(/^deploy\/compose\/dropship\.env$/m);
    for (const role of [...ROLES, 'dropship']) {
      const s = services[role]!;
      expect(s.env_file, role).toEqual(['deploy/compose/dropship.env']);
      for (const key of Object.keys(s.environment)) expect(SECRET_SETTING.test(key), `${role} sets ${key} inline`).toBe(false);
      const env = Object.fromEntries(Object.entries(s.environment as Record<string, string>).map(([k, v]) => [k, interpolate(String(v))]));
      expect(() => loadServiceConfig({ ...fromExample, ...env }), role).toThrow(/SECRETS_KEK: required when MONGO_URL is set/);
      const config = loadServiceConfig({ ...fromExample, ...env, ...secretValues() });
      if (role !== 'dropship') expect(config.port, role).toBe(8080);
    }
  });

  it('sends the gateway to every subgraph of the supergraph by its service name', () => {
    const env = services.gateway!.environment as Record<string, string>;
    for (const subgraph of SUBGRAPHS) {
      expect(env[`SUBGRAPH_URL_${subgraph.toUpperCase().replaceAll('-', '_')}`], subgraph).toBe(`http://${subgraph}:8080/graphql`);
      expect(services[subgraph], subgraph).toBeDefined();
    }
  });

  it('scrapes every replica of every role, with the alert rules of deploy/prometheus (promtool, as mounted)', { timeout: 60_000 }, () => {
    const scrape = parse(readFileSync(path.join(ROOT, 'deploy/compose/prometheus.yml'), 'utf8')) as Doc;
    const names = (scrape.scrape_configs as Doc[]).flatMap((c) => (c.dns_sd_configs ?? []).flatMap((d: Doc) => (d.port === 8080 ? d.names : [])));
    expect([...names].sort()).toEqual([...ROLES].sort());
    // The container's /etc/prometheus: deploy/prometheus with compose.yml mounted beside alerts.yml.
    const etc = path.join(work, 'etc-prometheus');
    rmSync(etc, { recursive: true, force: true });
    spawnSync('cp', ['-R', path.join(ROOT, 'deploy/prometheus'), etc]);
    writeFileSync(path.join(etc, 'compose.yml'), readFileSync(path.join(ROOT, 'deploy/compose/prometheus.yml')));
    const r = run('promtool', ['check', 'config', path.join(etc, 'compose.yml')]);
    expect(r.status, r.out).toBe(0);
    expect(r.out).toMatch(/SUCCESS: [1-9]\d* rules found/);
  });

  it('has an opt-in observability profile: Prometheus with the repository rules, Grafana provisioned, Jaeger over OTLP', () => {
    const profile = Object.entries(services).filter(([, s]) => s.profiles?.includes('observability')).map(([name]) => name);
    expect(profile.sort()).toEqual(['grafana', 'jaeger', 'prometheus']);
    expect(services.prometheus!.volumes).toEqual(expect.arrayContaining(['./deploy/prometheus:/etc/prometheus:ro', './deploy/compose/prometheus.yml:/etc/prometheus/compose.yml:ro']));
    expect(services.prometheus!.command).toContain('--config.file=/etc/prometheus/compose.yml');
    expect(services.grafana!.volumes).toEqual(expect.arrayContaining(['./deploy/grafana/provisioning:/etc/grafana/provisioning:ro', './deploy/grafana/dashboards:/var/lib/grafana/dashboards:ro']));
    expect(services.jaeger!.environment.COLLECTOR_OTLP_ENABLED).toBe('true');
    expect(services.gateway!.environment.OTEL_EXPORTER_OTLP_ENDPOINT).toBe('http://jaeger:4318');
    // Every file or folder mounted from the repository exists.
    for (const [name, s] of Object.entries(services)) {
      for (const volume of (s.volumes ?? []) as string[]) {
        if (!volume.startsWith('./')) continue;
        expect(existsSync(path.join(ROOT, volume.split(':')[0]!)), `${name} mounts ${volume}`).toBe(true);
      }
    }
  });
});
