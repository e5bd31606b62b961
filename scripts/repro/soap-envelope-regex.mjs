// Minimal reproduction for the `soap` package (node-soap; checked on 1.13.0): HttpClient.handleResponse
// (lib/http.js, lines 213-224) runs every HTTP response body, synchronously and before any parsing, through
//   body.replace(/<!--[\s\S]*?-->/, '')                                             (comment strip)
//   .match(/(?:<\?[^?]*\?>[\s]*)?<([^:]*):Envelope([\S\s]*)<\/\1:Envelope>/i)      (envelope match)
// Both backtrack quadratically: `<([^:]*):` scans forward from every `<` to the next `:` (a body whose `<`s are
// not followed by a `:` — a run of `<`, an HTML error page — costs O(n²)), and the lazy comment expression scans
// to the end of the body from every `<!--` that has no `-->`. The event loop is blocked meanwhile: every other
// request, timer and socket of the process waits.
//
// Run: node scripts/repro/soap-envelope-regex.mjs             (no dependencies; the expressions copied verbatim)
//      node scripts/repro/soap-envelope-regex.mjs --package   (times HttpClient.handleResponse of the installed soap)

const COMMENT = /<!--[\s\S]*?-->/;
const ENVELOPE = /(?:<\?[^?]*\?>[\s]*)?<([^:]*):Envelope([\S\s]*)<\/\1:Envelope>/i;

/** What handleResponse does with a string body, verbatim. */
function handleResponse(body) {
  const match = body.replace(COMMENT, '').match(ENVELOPE);
  return match ? match[0] : body;
}

let handle = handleResponse;
if (process.argv.includes('--package')) {
  const { createRequire } = await import('node:module');
  const { HttpClient } = createRequire(import.meta.url)('soap/lib/http.js');
  const client = new HttpClient();
  handle = (body) => client.handleResponse(undefined, undefined, body);
  console.log('timing HttpClient.handleResponse of the installed soap package');
} else {
  console.log('timing the expressions copied from soap 1.13.0 lib/http.js (--package: the installed package)');
}

const ms = (run) => {
  const started = process.hrtime.bigint();
  run();
  return Number(process.hrtime.bigint() - started) / 1e6;
};

const htmlPage = (kb) => {
  // A proxy's error page: markup, no SOAP envelope, and no ':' after the first tags (no URLs, no styles).
  const row = '<tr><td>upstream</td><td>unavailable</td></tr>\n';
  return `<html><head><title>502 Bad Gateway</title></head><body><table>\n${row.repeat(Math.ceil((kb * 1024) / row.length))}</table></body></html>`;
};

const bodies = [
  ["'<' repeated", (kb) => '<'.repeat(kb * 1024)],
  ["'<!--' repeated", (kb) => '<!--'.repeat(kb * 256)],
  ['HTML error page without ":"', htmlPage],
];

console.log(`${'body'.padEnd(30)} ${'size'.padStart(7)}  handleResponse  comment strip  envelope match`);
for (const [name, make] of bodies) {
  for (const kb of [25, 50, 100]) {
    const body = make(kb);
    const whole = ms(() => handle(body));
    const strip = ms(() => body.replace(COMMENT, ''));
    const match = ms(() => body.match(ENVELOPE));
    console.log(`${name.padEnd(30)} ${`${kb} KB`.padStart(7)}  ${whole.toFixed(0).padStart(11)} ms  ${strip.toFixed(0).padStart(10)} ms  ${match.toFixed(0).padStart(11)} ms`);
  }
}
console.log('Each doubling of the size about quadruples the time: quadratic, on the event loop.');
