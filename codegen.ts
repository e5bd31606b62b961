import type { CodegenConfig } from '@graphql-codegen/cli';

/**
 * Resolver types for every subgraph, from schema/*.graphql. `npm run codegen` writes them; the test command
 * regenerates into a temp dir and fails when the committed files are stale (scripts/check-generated.sh).
 * Supplier subgraphs all come from one template (schema/generate.ts), so one representative SDL types them all.
 */
const shared = {
  federation: true,
  useIndexSignature: true,
  useTypeImports: true,
  enumsAsTypes: true,
  scalars: { DateTime: 'string', Decimal: 'string' },
  contextType: '../../context.ts#SubgraphContext',
};

const config: CodegenConfig = {
  overwrite: true,
  hooks: {},
  generates: {
    'subgraphs/catalog/generated/resolvers-types.ts': {
      schema: 'schema/catalog.graphql',
      plugins: ['typescript', 'typescript-resolvers'],
      config: {
        ...shared,
        mappers: { Product: '../../../platform/ports/catalog-store.ts#ProductRecord', ProductFamily: '../../../platform/ports/catalog-store.ts#FamilyRecord' },
      },
    },
    'subgraphs/inventory/generated/resolvers-types.ts': {
      schema: ['schema/inventory.graphql', 'schema/inventory-sync.graphql', 'schema/generated/inventory-offer-stubs.graphql', 'schema/pricing.graphql'],
      plugins: ['typescript', 'typescript-resolvers'],
      config: {
        ...shared,
        mappers: {
          Product: '../product-ref.ts#ProductRef',
          StockSummary: '../product-ref.ts#StockRows',
          SupplierStockLevel: '../../../platform/ports/stock-store.ts#StockRecord',
          StockDiscrepancy: '../../../platform/ports/discrepancy-store.ts#DiscrepancyRecord',
          ReconciliationRun: '../../../platform/ports/discrepancy-store.ts#ReconciliationRun as ReconciliationRunRecord',
          ReconciliationSupplierSummary: '../../../platform/ports/discrepancy-store.ts#SupplierRunSummary',
          StockDiscrepancyConnection: '../reconciliation-resolvers.ts#DiscrepancyConnection',
        },
      },
    },
    'subgraphs/orders/generated/resolvers-types.ts': {
      schema: 'schema/orders.graphql',
      plugins: ['typescript', 'typescript-resolvers'],
      config: {
        ...shared,
        mappers: {
          Order: '../../../platform/ports/order-store.ts#OrderRecord',
          OrderLine: '../../../platform/ports/order-store.ts#OrderLineRecord',
          Shipment: '../../../platform/ports/order-store.ts#ShipmentRecord',
          SubOrder: '../../../platform/ports/order-store.ts#SubOrderRecord',
          LineAllocation: '../../../platform/ports/order-store.ts#LineAllocation as LineAllocationRecord',
          ReturnRequest: '../../../platform/ports/order-store.ts#ReturnRequestRecord',
          RoutingPreview: '../order-service.ts#RoutingPreview as RoutingPreviewRecord',
          OrderWebhookDelivery: '../../../platform/ports/webhook-delivery-log.ts#WebhookDeliveryRecord',
        },
      },
    },
    'subgraphs/access/generated/resolvers-types.ts': {
      schema: 'schema/access.graphql',
      plugins: ['typescript', 'typescript-resolvers'],
      config: {
        ...shared,
        mappers: {
          ApiToken: '../../../platform/ports/token-store.ts#ApiTokenRecord',
          Viewer: '../../../platform/auth/principal.ts#Principal',
        },
      },
    },
    // Pricing's fields are served by the inventory subgraph (schema/subgraphs.ts); their resolvers live in subgraphs/pricing/.
    'subgraphs/pricing/generated/resolvers-types.ts': {
      schema: ['schema/inventory.graphql', 'schema/inventory-sync.graphql', 'schema/generated/inventory-offer-stubs.graphql', 'schema/pricing.graphql'],
      plugins: ['typescript', 'typescript-resolvers'],
      config: {
        ...shared,
        mappers: {
          Product: '../resolvers.ts#ProductKey',
          SellPrice: '../price-service.ts#ProductPrice',
          PricingRule: '../rule-source.ts#ListedRule',
        },
      },
    },
    'subgraphs/supplier/generated/resolvers-types.ts': {
      schema: 'schema/generated/supplier-brightline.graphql',
      plugins: ['typescript', 'typescript-resolvers'],
      config: { ...shared, contextType: '../context.ts#SupplierContext', mappers: { BrightlineOffer: '../offer-view.ts#OfferView', Offer: '../offer-view.ts#OfferView' } },
    },
  },
};

export default config;
