/**
 * The baseline target of `npm run bench:gateway`: plain @apollo/gateway on @apollo/server's standalone server, as a
 * new user would start it (same package versions as ours), over the supergraph file in BENCH_SUPERGRAPH.
 */
import { readFileSync } from 'node:fs';
import { ApolloGateway } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';

process.env.APOLLO_TELEMETRY_DISABLED = 'true';
const gateway = new ApolloGateway({ supergraphSdl: readFileSync(process.env.BENCH_SUPERGRAPH!, 'utf8') });
const server = new ApolloServer({ gateway });
const { url } = await startStandaloneServer(server, { listen: { port: Number(process.env.BENCH_PORT), host: '127.0.0.1' } });
console.log(`baseline listening ${url}`);
// Exit normally on SIGTERM, so `--cpu-prof` (bench --profile) writes its profile.
process.on('SIGTERM', () => void server.stop().then(() => process.exit(0)));
