/**
 * Measures what one SOAP answer at the default cap (8 MiB of a valid Inventory 2.0.0 answer, the recorded fixture with
 * its locations repeated) costs the event loop: `soap`'s synchronous parse in one block, against our chunked parse
 * (16 Ki characters per macrotask, adapters/soap/http-transport.ts) and the envelope scan (adapters/soap/envelope-check.ts),
 * as CPU time per macrotask (wall time on a shared machine also counts preemption). Figures in
 * docs/suppliers/soap-response-regex.md.
 *
 * Run: npx tsx scripts/repro/soap-parse-chunks.ts
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { scanEnvelope } from '../../adapters/soap/envelope-check.ts';
import { SOAP_PARSE_CHUNK } from '../../adapters/soap/http-transport.ts';
import { PROMOSTANDARDS_WSDL } from '../../adapters/soap/promostandards.ts';
import { loadWsdl } from '../../adapters/soap/wsdl-loader.ts';

type Parser = { xmlToObject(xml: string | Readable, callback?: (error: unknown) => void): unknown };
const wsdl = (await loadWsdl(PROMOSTANDARDS_WSDL.inventory)) as unknown as Parser;
const fixture = readFileSync(path.resolve(import.meta.dirname, '../../test/fixtures/harborpromo/get-inventory-levels.xml'), 'utf8');
const start = fixture.indexOf('<s:InventoryLocation>');
const end = fixture.lastIndexOf('</s:InventoryLocation>') + '</s:InventoryLocation>'.length;
const location = fixture.slice(start, end);
const body = fixture.slice(0, start) + location.repeat(Math.floor((8 * 1024 * 1024 - fixture.length) / location.length)) + fixture.slice(end);
const envelope = body.slice(body.indexOf('<soap:Envelope'));

const cpuMs = (since: NodeJS.CpuUsage) => {
  const d = process.cpuUsage(since);
  return (d.user + d.system) / 1000;
};
const stats = (values: number[]) => {
  const s = [...values].sort((a, b) => a - b);
  return `median ${s[s.length >> 1]!.toFixed(2)}, p99 ${s[Math.floor(s.length * 0.99)]!.toFixed(1)}, max ${s[s.length - 1]!.toFixed(1)} ms`;
};

for (let round = 1; round <= 3; round += 1) {
  const sync = process.cpuUsage();
  wsdl.xmlToObject(envelope);
  console.log(`round ${round}: synchronous parse of ${(envelope.length / 2 ** 20).toFixed(1)} Mi chars: ${cpuMs(sync).toFixed(0)} ms CPU in one block`);

  const perChunk: number[] = [];
  let since = process.cpuUsage();
  let offset = 0;
  const stream: Readable = new Readable({
    read() {
      perChunk.push(cpuMs(since));
      setImmediate(() => {
        since = process.cpuUsage();
        if (offset >= envelope.length) return void stream.push(null);
        stream.push(envelope.slice(offset, offset + SOAP_PARSE_CHUNK));
        offset += SOAP_PARSE_CHUNK;
      });
    },
  });
  await new Promise<void>((resolve, reject) =>
    wsdl.xmlToObject(stream, (error) => {
      perChunk.push(cpuMs(since));
      if (error) reject(error as Error);
      else resolve();
    }),
  );
  console.log(`round ${round}: chunked parse, ${perChunk.length} macrotasks: CPU per macrotask ${stats(perChunk)}`);

  const scan = scanEnvelope(envelope);
  const perSlice: number[] = [];
  for (;;) {
    const t = process.cpuUsage();
    const step = scan.next();
    perSlice.push(cpuMs(t));
    if (step.done) break;
  }
  console.log(`round ${round}: envelope scan, ${perSlice.length} slices: CPU per slice ${stats(perSlice)}`);
}
