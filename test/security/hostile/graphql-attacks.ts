/** Hostile answers of a Shopify-style GraphQL supplier (maplecart) to its stock query. */
import { repeatedBody, type Attack, type ExchangeView, type UpstreamAnswer } from './hostile-server.ts';
import { hostileMessage, hugeCode } from './hostile-text.ts';
import { longPrice } from './rest-attacks.ts';

const JSON_TYPE = 'application/json; charset=utf-8';
const isStockQuery = (r: ExchangeView) => r.method === 'POST' && r.body.includes('MaplecartStock');

type Variant = { inventoryItem?: { unitCost?: { amount: string; currencyCode: string } | null } };
type StockAnswer = { data?: { productVariants?: { nodes?: Variant[] } } };

const parsed = (answer: UpstreamAnswer): StockAnswer | null => {
  if (answer.status !== 200) return null;
  const json = JSON.parse(answer.body.toString('utf8')) as StockAnswer;
  return json.data?.productVariants?.nodes && json.data.productVariants.nodes.length > 0 ? json : null;
};

/** The real stock answer with every variant's unit cost `digits` digits long. */
export function graphqlPriceDigits(digits: number): Attack {
  return {
    name: `unit cost with ${digits} digits`,
    matches: isStockQuery,
    async answer(_request, upstream) {
      const json = parsed(await upstream());
      if (!json) return null;
      for (const v of json.data!.productVariants!.nodes!) v.inventoryItem = { unitCost: { amount: longPrice(digits), currencyCode: v.inventoryItem?.unitCost?.currencyCode ?? 'USD' } };
      return { status: 200, contentType: JSON_TYPE, body: JSON.stringify(json) };
    },
  };
}

/** A well-formed stock answer of `bytes` bytes: the real variants repeated. Streamed, never held. */
export function graphqlHugeAnswer(bytes: number): Attack {
  return {
    name: `${bytes} byte GraphQL answer`,
    matches: isStockQuery,
    async answer(_request, upstream) {
      const json = parsed(await upstream());
      if (!json) return null;
      const item = JSON.stringify(json.data!.productVariants!.nodes![0]);
      const marked = { ...json, data: { ...json.data, productVariants: { ...json.data!.productVariants, nodes: ['\u0000SPLIT'] } } };
      const [head, tail] = JSON.stringify(marked).split('"\\u0000SPLIT"') as [string, string];
      return { status: 200, contentType: JSON_TYPE, body: repeatedBody(`${head}${item}`, `,${item}`, tail, bytes) };
    },
  };
}

/** A GraphQL error whose `extensions.code` is `codeBytes` long and whose message is `messageBytes` of hostile text. */
export function graphqlErrorText(codeBytes: number, messageBytes: number): Attack {
  return {
    name: `GraphQL error with a ${codeBytes} byte code`,
    matches: isStockQuery,
    async answer() {
      const body = Buffer.concat([Buffer.from('{"errors":[{"message":"'), hostileMessage(messageBytes, 'json'), Buffer.from(`","extensions":{"code":"${hugeCode(codeBytes)}"}}]}`)]);
      return { status: 200, contentType: JSON_TYPE, body };
    },
  };
}
