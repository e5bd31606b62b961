/** Product Data 2.0.0: getProductSellable lists every sellable part; getProduct describes one product. */
import { WAREHOUSES, type HarborPart } from '../catalog.ts';
import { el } from '../xml.ts';
import { MSG, XSI_NS, serviceMessages, text, type OperationSpec, type ServiceMessage, type ServiceSpec } from './common.ts';

export const PD_NS = 'http://www.promostandards.org/WSDL/ProductDataService/2.0.0/';
export const PD_SHARED_NS = 'http://www.promostandards.org/WSDL/ProductDataService/2.0.0/SharedObjects/';

const CATALOG_DATE = '2025-01-06T08:00:00Z';
const root = (name: string, content: string[]): string =>
  el(`r:${name}`, content, { 'xmlns:r': PD_NS, 'xmlns:s': PD_SHARED_NS, 'xmlns:xsi': XSI_NS });
const nil = (qname: string) => `<${qname} xsi:nil="true"/>`;

const sellableMessages = (m: readonly ServiceMessage[]) => root('GetProductSellableResponse', [serviceMessages('s:ServiceMessageArray', 's', m)]);

const getProductSellable: OperationSpec = {
  name: 'getProductSellable',
  messagesOnly: sellableMessages,
  handle(request, state) {
    const productId = text(request, PD_SHARED_NS, 'productId');
    const partId = text(request, PD_SHARED_NS, 'partId');
    const sellable = text(request, PD_SHARED_NS, 'isSellable');
    if (sellable === undefined) return { body: sellableMessages([MSG.required('isSellable')]) };
    const rows = state.catalog.parts.filter(
      (p) => (sellable === 'true' || sellable === '1') && (!productId || p.productId === productId) && (!partId || p.partId === partId),
    );
    if (rows.length === 0) return { body: sellableMessages([MSG.noResults]) };
    return {
      body: root('GetProductSellableResponse', [
        el(
          'r:ProductSellableArray',
          rows.map((p) => el('r:ProductSellable', [el('s:productId', p.productId), el('s:partId', p.partId)])),
        ),
      ]),
    };
  },
};

/** The style's photo on harborpromo's media host, or null for the styles published without one. */
function styleImage(part: HarborPart): string | null {
  const style = Number(part.productId.replace(/\D/g, ''));
  return style % 5 === 4 ? null : `https://media.harborpromo.example/styles/${part.productId}.jpg`;
}

function productPart(part: HarborPart): string {
  const apparel = part.product.size !== 'OS';
  return el('r:ProductPart', [
    el('s:partId', part.partId),
    el('r:primaryColor', [el('s:Color', [el('s:colorName', part.product.color)])]),
    el('s:description', part.product.title),
    el('s:countryOfOrigin', 'US'),
    apparel ? el('s:ApparelSize', [el('s:apparelStyle', 'Unisex'), el('s:labelSize', part.labelSize)]) : '',
    el('r:leadTime', part.leadTimeDays),
    el('s:gtin', part.gtin),
    el('s:isRushService', false),
    nil('s:endDate'),
    el('s:effectiveDate', CATALOG_DATE),
    el('s:isCloseout', false),
    el('s:isCaution', false),
    el('s:isOnDemand', false),
    el('s:isHazmat', false),
  ]);
}

const productMessages = (m: readonly ServiceMessage[]) => root('GetProductResponse', [serviceMessages('s:ServiceMessageArray', 's', m)]);

const getProduct: OperationSpec = {
  name: 'getProduct',
  messagesOnly: productMessages,
  handle(request, state) {
    const productId = text(request, PD_SHARED_NS, 'productId');
    const missing = ['localizationCountry', 'localizationLanguage', 'productId'].filter((f) => !text(request, PD_SHARED_NS, f));
    if (missing.length > 0) return { body: productMessages([MSG.required(missing.join(', '))]) };
    const parts = state.catalog.partsOfProduct(productId!);
    const first = parts[0];
    if (!first) return { body: productMessages([MSG.productNotFound(productId!)]) };
    const p = first.product;
    const body = root('GetProductResponse', [
      el('r:Product', [
        el('s:productId', first.productId),
        el('s:productName', `${p.brand} ${p.category}`),
        el('s:description', p.title),
        el('r:ProductMarketingPointArray', [
          // harborpromo's documented convention: the manufacturer and its part number travel as marketing points.
          el('s:ProductMarketingPoint', [el('s:pointType', 'Manufacturer'), el('s:pointCopy', p.manufacturer)]),
          // A style's parts have their own MPNs: one point per part, "<partId>: <mpn>" (one part: the MPN alone).
          ...(parts.length === 1
            ? [el('s:ProductMarketingPoint', [el('s:pointType', 'Manufacturer Part Number'), el('s:pointCopy', p.mpn)])]
            : parts.map((part) => el('s:ProductMarketingPoint', [el('s:pointType', 'Manufacturer Part Number'), el('s:pointCopy', `${part.partId}: ${part.product.mpn}`)]))),
        ]),
        el('s:productBrand', p.brand),
        el('r:export', true),
        // Apparel sits in two categories (Apparel > T-Shirt, and its own), the rest in one; every fifth style has no image.
        el('r:ProductCategoryArray', [
          ...(first.labelSize === 'OSFA' ? [] : [el('s:ProductCategory', [el('s:category', 'Apparel'), el('s:subCategory', p.category)])]),
          el('s:ProductCategory', [el('s:category', p.category)]),
        ]),
        styleImage(first) === null ? '' : el('s:primaryImageUrl', styleImage(first)!),
        el(
          'r:ProductPriceGroupArray',
          [
            el('s:ProductPriceGroup', [
              el(
                's:ProductPriceArray',
                first.prices.map((b) =>
                  el('s:ProductPrice', [
                    el('s:quantityMin', b.quantityMin),
                    b.quantityMax === null ? '' : el('s:quantityMax', b.quantityMax),
                    el('s:price', b.price),
                  ]),
                ),
              ),
              el('s:groupName', 'Net'),
              el('s:currency', 'USD'),
            ]),
          ],
        ),
        el('s:complianceInfoAvailable', false),
        el('r:ProductPartArray', parts.map(productPart)),
        el('r:lastChangeDate', CATALOG_DATE),
        el('r:creationDate', CATALOG_DATE),
        nil('s:endDate'),
        el('s:effectiveDate', CATALOG_DATE),
        el('s:isCaution', false),
        el('s:isCloseout', false),
        el(
          's:FobPointArray',
          WAREHOUSES.map((w) =>
            el('s:FobPoint', [
              el('s:fobId', w.id),
              el('s:fobCity', w.name.split(',')[0]!),
              el('s:fobState', w.name.split(', ')[1]!),
              el('s:fobPostalCode', w.postalCode),
              el('s:fobCountry', 'US'),
            ]),
          ),
        ),
      ]),
    ]);
    return { body };
  },
};

export const productDataService: ServiceSpec = {
  key: 'productData',
  defaultPath: '/product-data/v2',
  schemaDir: 'promostandards/product-data-2.0.0',
  wsdlFile: 'ProductDataService.wsdl',
  ns: PD_NS,
  credentialNs: PD_SHARED_NS,
  wsVersion: '2.0.0',
  operations: new Map([
    ['GetProductSellableRequest', getProductSellable],
    ['GetProductRequest', getProduct],
  ]),
};
