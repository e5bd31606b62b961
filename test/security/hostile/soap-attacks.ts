/** Hostile answers of a PromoStandards (SOAP 1.1) supplier's Inventory 2.0.0 service, or of a proxy in front of it. */
import { repeatedBody, type Attack, type ExchangeView } from './hostile-server.ts';
import { hostileMessage } from './hostile-text.ts';

const XML_TYPE = 'text/xml; charset=utf-8';
const SOAP_ENV = 'http://schemas.xmlsoap.org/soap/envelope/';
const INV_NS = 'http://www.promostandards.org/WSDL/Inventory/2.0.0/';
const INV_SHARED_NS = 'http://www.promostandards.org/WSDL/Inventory/2.0.0/SharedObjects/';

const isInventoryRead = (r: ExchangeView) => r.method === 'POST' && r.path.startsWith('/inventory/') && r.body.includes('GetInventoryLevelsRequest');

/** `count` bytes of `<`: the `soap` package's envelope expression backtracks over colon-free text, quadratically. */
export function soapLessThans(count: number): Attack {
  return { name: `${count} bytes of <`, matches: isInventoryRead, answer: async () => ({ status: 200, contentType: XML_TYPE, body: '<'.repeat(count) }) };
}

/** A proxy's HTML error page with status 500 (retried: a 5xx is transient), colon-free like most such pages. */
export function soapHtmlErrorPage(bytes: number): Attack {
  const head = '<!DOCTYPE html><html><head><title>500 Internal Server Error</title></head><body><h1>Internal Server Error</h1>';
  const line = '<p>The proxy server could not handle the request. Reason - Error reading from remote server. Please try again later.</p>\n';
  const tail = '<hr><address>Apache Server at supplier.example Port 443</address></body></html>';
  const body = head + line.repeat(Math.ceil((bytes - head.length - tail.length) / line.length)) + tail;
  return { name: `${body.length} byte HTML error page, status 500`, matches: isInventoryRead, answer: async () => ({ status: 500, contentType: 'text/html', body }) };
}

/** A well-formed getInventoryLevels answer of `bytes` bytes: the real part rows repeated. Streamed, never held. */
export function soapHugeAnswer(bytes: number): Attack {
  return {
    name: `${bytes} byte SOAP answer`,
    matches: isInventoryRead,
    async answer(_request, upstream) {
      const real = await upstream();
      const text = real.body.toString('utf8');
      const first = /<(\w+:)?PartInventory>[\s\S]*?<\/\1?PartInventory>/.exec(text);
      if (real.status !== 200 || !first) return null;
      const head = text.slice(0, first.index + first[0].length);
      const tail = text.slice(first.index + first[0].length);
      return { status: 200, contentType: XML_TYPE, body: repeatedBody(head, first[0], tail, bytes) };
    },
  };
}

/** A SOAP Server fault (HTTP 500) whose faultstring is `bytes` of markup, NUL and invalid UTF-8. */
export function soapFaultText(bytes: number): Attack {
  return {
    name: `SOAP fault with a ${bytes} byte faultstring`,
    matches: isInventoryRead,
    async answer() {
      const body = Buffer.concat([
        Buffer.from(`<?xml version="1.0" encoding="utf-8"?><soap:Envelope xmlns:soap="${SOAP_ENV}"><soap:Body><soap:Fault><faultcode>soap:Server</faultcode><faultstring>`),
        hostileMessage(bytes, 'xml'),
        Buffer.from('</faultstring></soap:Fault></soap:Body></soap:Envelope>'),
      ]);
      return { status: 500, contentType: XML_TYPE, body };
    },
  };
}

/** A 200 answer with an Error ServiceMessage (code 999) whose description is `bytes` of hostile text. */
export function soapServiceMessageText(bytes: number): Attack {
  return {
    name: `Error ServiceMessage with a ${bytes} byte description`,
    matches: isInventoryRead,
    async answer() {
      const body = Buffer.concat([
        Buffer.from(
          `<?xml version="1.0" encoding="utf-8"?><soap:Envelope xmlns:soap="${SOAP_ENV}"><soap:Body>` +
            `<r:GetInventoryLevelsResponse xmlns:r="${INV_NS}" xmlns:s="${INV_SHARED_NS}"><s:ServiceMessageArray><s:ServiceMessage>` +
            '<s:code>999</s:code><s:description>',
        ),
        hostileMessage(bytes, 'xml'),
        Buffer.from('</s:description><s:severity>Error</s:severity></s:ServiceMessage></s:ServiceMessageArray></r:GetInventoryLevelsResponse></soap:Body></soap:Envelope>'),
      ]);
      return { status: 200, contentType: XML_TYPE, body };
    },
  };
}
