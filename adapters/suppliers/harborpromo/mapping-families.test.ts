/**
 * Product Data 2.0.0 product → parts as a family and its variants, on GetProductResponse envelopes built from the
 * XSD's own elements (each one validated against GetProductResponse.xsd first, so the mapping meets only what the
 * schema allows): parts with colour and size, with a ColorArray colour only, with neither; several categories; a
 * product image and none.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type soap from 'soap';
import { PROMOSTANDARDS_WSDL } from '../../soap/promostandards.ts';
import { loadWsdl } from '../../soap/wsdl-loader.ts';
import { validateEnvelope } from '../../../test/support/promostandards-xsd.ts';
import { mapProduct } from './mapping.ts';

const XSD = 'promostandards/product-data-2.0.0/GetProductResponse.xsd';
const DATE = '2025-01-06T08:00:00Z';

interface PartSpec {
  readonly partId: string;
  readonly gtin: string;
  readonly primaryColor?: string;
  /** Colours in a ColorArray (standardColorName, colorName "<it> Heather"), when the part has no primaryColor. */
  readonly colorArray?: readonly string[];
  readonly labelSize?: string;
  readonly customSize?: string;
}

interface ProductSpec {
  readonly productId: string;
  readonly categories?: readonly { category: string; subCategory?: string }[];
  readonly imageUrl?: string;
  readonly parts: readonly PartSpec[];
}

function part(p: PartSpec): string {
  return `<r:ProductPart>
<s:partId>${p.partId}</s:partId>
${p.primaryColor ? `<r:primaryColor><s:Color><s:colorName>${p.primaryColor}</s:colorName></s:Color></r:primaryColor>` : ''}
<s:description>Part ${p.partId}</s:description>
${p.colorArray ? `<r:ColorArray>${p.colorArray.map((c) => `<s:Color><s:standardColorName>${c}</s:standardColorName><s:colorName>${c} Heather</s:colorName></s:Color>`).join('')}</r:ColorArray>` : ''}
${p.labelSize ? `<s:ApparelSize><s:apparelStyle>Unisex</s:apparelStyle><s:labelSize>${p.labelSize}</s:labelSize>${p.customSize ? `<s:customSize>${p.customSize}</s:customSize>` : ''}</s:ApparelSize>` : ''}
<s:gtin>${p.gtin}</s:gtin>
<s:isRushService>false</s:isRushService>
<s:endDate xsi:nil="true"/>
<s:effectiveDate>${DATE}</s:effectiveDate>
<s:isCloseout>false</s:isCloseout>
<s:isCaution>false</s:isCaution>
<s:isOnDemand>false</s:isOnDemand>
<s:isHazmat>false</s:isHazmat>
</r:ProductPart>`;
}

function envelope(spec: ProductSpec): string {
  const categories = spec.categories ?? [];
  return `<?xml version="1.0" encoding="utf-8"?>
<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body>
<r:GetProductResponse xmlns:r="http://www.promostandards.org/WSDL/ProductDataService/2.0.0/" xmlns:s="http://www.promostandards.org/WSDL/ProductDataService/2.0.0/SharedObjects/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<r:Product>
<s:productId>${spec.productId}</s:productId>
<s:productName>Gildan T-Shirt</s:productName>
<s:description>Heavy cotton tee</s:description>
<r:ProductMarketingPointArray>
<s:ProductMarketingPoint><s:pointType>Manufacturer</s:pointType><s:pointCopy>Gildan Activewear</s:pointCopy></s:ProductMarketingPoint>
${spec.parts.map((p) => `<s:ProductMarketingPoint><s:pointType>Manufacturer Part Number</s:pointType><s:pointCopy>${p.partId}: MPN-${p.partId}</s:pointCopy></s:ProductMarketingPoint>`).join('\n')}
</r:ProductMarketingPointArray>
<s:productBrand>Gildan</s:productBrand>
<r:export>true</r:export>
${categories.length === 0 ? '' : `<r:ProductCategoryArray>${categories.map((c) => `<s:ProductCategory><s:category>${c.category}</s:category>${c.subCategory ? `<s:subCategory>${c.subCategory}</s:subCategory>` : ''}</s:ProductCategory>`).join('')}</r:ProductCategoryArray>`}
${spec.imageUrl ? `<s:primaryImageUrl>${spec.imageUrl}</s:primaryImageUrl>` : ''}
<r:ProductPriceGroupArray><s:ProductPriceGroup><s:ProductPriceArray><s:ProductPrice><s:quantityMin>1</s:quantityMin><s:price>4.50</s:price></s:ProductPrice></s:ProductPriceArray><s:groupName>Net</s:groupName><s:currency>USD</s:currency></s:ProductPriceGroup></r:ProductPriceGroupArray>
<s:complianceInfoAvailable>false</s:complianceInfoAvailable>
<r:ProductPartArray>${spec.parts.map(part).join('\n')}</r:ProductPartArray>
<r:lastChangeDate>${DATE}</r:lastChangeDate>
<r:creationDate>${DATE}</r:creationDate>
<s:endDate xsi:nil="true"/>
<s:effectiveDate>${DATE}</s:effectiveDate>
<s:isCaution>false</s:isCaution>
<s:isCloseout>false</s:isCloseout>
<s:FobPointArray><s:FobPoint><s:fobId>RNO</s:fobId><s:fobCity>Reno</s:fobCity><s:fobState>NV</s:fobState><s:fobPostalCode>89502</s:fobPostalCode><s:fobCountry>US</s:fobCountry></s:FobPoint></s:FobPointArray>
</r:Product>
</r:GetProductResponse>
</soap:Body></soap:Envelope>`;
}

let wsdl: soap.WSDL;
beforeAll(async () => {
  wsdl = await loadWsdl(PROMOSTANDARDS_WSDL.productData);
});

/** Validates the envelope against the XSD, then reads it with the connector's own parser. */
async function mapped(spec: ProductSpec) {
  const xml = envelope(spec);
  const result = await validateEnvelope(xml, XSD);
  expect(result.valid, result.output).toBe(true);
  const root = wsdl.xmlToObject(xml) as { Body: Record<string, Record<string, unknown>> };
  return mapProduct(root.Body['GetProductResponse']!);
}

const STYLE: ProductSpec = {
  productId: 'HP-S07',
  categories: [{ category: 'Apparel', subCategory: 'T-Shirt' }, { category: 'T-Shirt' }, { category: 'Gifts' }],
  imageUrl: 'https://media.harborpromo.example/styles/HP-S07.jpg',
  parts: [
    { partId: 'HP1007-NAV-S', gtin: '00070000100000', primaryColor: 'Navy', labelSize: 'S' },
    { partId: 'HP1007-NAV-2XL', gtin: '00070037100134', primaryColor: 'Navy', labelSize: '2XL' },
    { partId: 'HP1007-RED', gtin: '00070074100268', colorArray: ['Red', 'White'] },
    { partId: 'HP1007-CUSTOM', gtin: '00070111100392', labelSize: 'CUSTOM', customSize: '4XLT' },
    { partId: 'HP1007-PLAIN', gtin: '00070148100426' },
  ],
};

describe('harborpromo product data: product → parts as a family and its variants', () => {
  it('maps the product to the family every part shares: productId, name, brand, categories with subcategories, image', async () => {
    const items = await mapped(STYLE);
    expect(items).toHaveLength(5);
    const family = {
      id: 'HP-S07',
      name: 'Gildan T-Shirt',
      brand: 'Gildan',
      categories: ['Apparel', 'T-Shirt', 'Gifts'],
      images: [{ url: 'https://media.harborpromo.example/styles/HP-S07.jpg', alt: 'Gildan T-Shirt' }],
    };
    for (const item of items) {
      expect(item.family).toEqual(family);
      expect(item.categories).toEqual(family.categories);
      // Product Data 2.0.0 has no part images (those are in Media Content): the family's image is not copied down.
      expect(item.images).toEqual([]);
    }
  });

  it('reads images and categories only where the XSD has them: on Product, never on ProductPart', async () => {
    // What the standard allows decides the mapping: a part carrying an image URL or a category array is not valid
    // Product Data 2.0.0, so no supplier can send one (part images are the Media Content service's, not read here).
    const valid = envelope({ ...STYLE, parts: [STYLE.parts[0]!] });
    expect((await validateEnvelope(valid, XSD)).valid).toBe(true);
    const partImage = valid.replace('<s:partId>HP1007-NAV-S</s:partId>', '<s:partId>HP1007-NAV-S</s:partId><s:primaryImageUrl>https://media.harborpromo.example/parts/x.jpg</s:primaryImageUrl>');
    const partCategory = valid.replace('<s:partId>HP1007-NAV-S</s:partId>', '<s:partId>HP1007-NAV-S</s:partId><r:ProductCategoryArray><s:ProductCategory><s:category>Apparel</s:category></s:ProductCategory></r:ProductCategoryArray>');
    expect((await validateEnvelope(partImage, XSD)).valid).toBe(false);
    expect((await validateEnvelope(partCategory, XSD)).valid).toBe(false);
  });

  it('gives each part its options: colour and size, a ColorArray colour alone, a custom size, or none', async () => {
    const items = await mapped(STYLE);
    expect(items.map((i) => [i.supplierSku, i.options])).toEqual([
      ['HP1007-NAV-S', [{ name: 'Color', value: 'Navy' }, { name: 'Size', value: 'S' }]],
      ['HP1007-NAV-2XL', [{ name: 'Color', value: 'Navy' }, { name: 'Size', value: '2XL' }]],
      ['HP1007-RED', [{ name: 'Color', value: 'Red Heather' }]],
      ['HP1007-CUSTOM', [{ name: 'Size', value: '4XLT' }]],
      ['HP1007-PLAIN', []],
    ]);
    expect(items.map((i) => i.mpn)).toEqual(STYLE.parts.map((p) => `MPN-${p.partId}`));
  });

  it('a product without categories or image gives a family with none', async () => {
    const [item] = await mapped({ productId: 'HP-1099', parts: [{ partId: 'HP1099-BLA', gtin: '00070000100000', primaryColor: 'Black' }] });
    expect(item!.family).toEqual({ id: 'HP-1099', name: 'Gildan T-Shirt', brand: 'Gildan', categories: [], images: [] });
    expect(item!.categories).toEqual([]);
  });

  it('leaves out an image URL that is not http(s)', async () => {
    const [item] = await mapped({ ...STYLE, imageUrl: 'ftp://media.harborpromo.example/x.jpg', parts: STYLE.parts.slice(0, 1) });
    expect(item!.family!.images).toEqual([]);
  });
});
