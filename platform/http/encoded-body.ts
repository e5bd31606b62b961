/**
 * The UTF-8 bytes of a response body, re-used while the same text is written again (docs/benchmarks.md, "Gateway
 * speed"). Why: writing a string makes Node encode it (and measure it for Content-Length) per response; with
 * in-flight de-duplication fifty requests write one shared ~90 KB answer, and encoding it fifty times was a third of
 * the gateway's CPU. An entry is only re-used for text equal to it — the very same characters — so no answer is ever
 * written for a text other than its own; comparing a different text of the same length stops at its first
 * difference, and one of another length costs nothing.
 */
export interface BodyEncoder {
  (text: string): Buffer;
}

/** `entries`: how many recent bodies are kept (a few: identical answers arrive together). */
export function createBodyEncoder(entries = 4, minBytes = 4_096): BodyEncoder {
  const recent: { text: string; bytes: Buffer }[] = [];
  let next = 0;
  return (text) => {
    // Small bodies: encoding is cheaper than a look-up.
    if (text.length < minBytes) return Buffer.from(text, 'utf8');
    for (const entry of recent) {
      if (entry.text.length === text.length && entry.text === text) return entry.bytes;
    }
    const bytes = Buffer.from(text, 'utf8');
    recent[next] = { text, bytes };
    next = (next + 1) % entries;
    return bytes;
  };
}
