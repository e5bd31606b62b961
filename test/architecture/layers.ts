/**
 * docs/architecture.md's layer table as data (issue 17): each layer, the folders that make it, and the layers it may
 * import. test/architecture/import-direction.test.ts holds every import of every .ts file to it, and checks that the
 * table in the doc says the same. A file belongs to the layer of the longest folder that contains it.
 */
export interface Layer {
  /** As the doc's table names it. */
  readonly name: string;
  /** Folders (repository paths) with everything under them; `x/*` is only the files directly in x. */
  readonly folders: readonly string[];
  /** Layers this one may import; a layer may always import within its own folder. */
  readonly mayImport: readonly string[] | 'everything';
  /**
   * Whether the layer's folders may import each other (they then count as one folder for the cycle check). Off for
   * the layers whose folders stand apart: one protocol does not use another, one subgraph domain does not reach into
   * another (it goes through a port).
   */
  readonly peers?: boolean;
}

export const LAYERS: readonly Layer[] = [
  { name: 'kernel', folders: ['kernel'], mayImport: [] },
  { name: 'platform', folders: ['platform'], mayImport: ['kernel'] },
  { name: 'adapters/core', folders: ['adapters/core'], mayImport: ['kernel', 'platform'] },
  { name: 'adapters/http', folders: ['adapters/http'], mayImport: ['kernel', 'adapters/core'] },
  { name: 'protocols', folders: ['adapters/rest', 'adapters/soap', 'adapters/graphql'], mayImport: ['kernel', 'platform', 'adapters/core', 'adapters/http'] },
  { name: 'suppliers', folders: ['adapters/suppliers'], mayImport: ['kernel', 'platform', 'adapters/core', 'protocols'] },
  { name: 'adapters/store-kit', folders: ['adapters/store-kit'], mayImport: ['kernel'] },
  { name: 'adapters/redis', folders: ['adapters/redis'], mayImport: ['kernel', 'platform', 'adapters/store-kit'] },
  {
    name: 'store adapters',
    folders: ['adapters/cache', 'adapters/events', 'adapters/ratelimit', 'adapters/auth-guard', 'adapters/lease'],
    mayImport: ['kernel', 'platform', 'adapters/store-kit', 'adapters/redis'],
  },
  { name: 'adapters/storage', folders: ['adapters/storage'], mayImport: ['kernel', 'platform', 'adapters/store-kit', 'adapters/redis', 'store adapters'] },
  { name: 'schema', folders: ['schema'], mayImport: ['kernel', 'platform'] },
  // The subgraphs' shared plumbing (serving, context, scalars, error mapping, scope shield), the routing policy and
  // pricing (sell prices over the ports, used by more than one domain).
  { name: 'subgraphs (shared)', folders: ['subgraphs/*', 'subgraphs/auth', 'subgraphs/pricing'], mayImport: ['kernel', 'platform', 'adapters/core', 'schema'], peers: true },
  {
    name: 'subgraph domains',
    folders: ['subgraphs/catalog', 'subgraphs/inventory', 'subgraphs/orders', 'subgraphs/access', 'subgraphs/supplier'],
    mayImport: ['kernel', 'platform', 'adapters/core', 'schema', 'subgraphs (shared)'],
  },
  { name: 'gateway', folders: ['gateway'], mayImport: ['kernel', 'platform'] },
  // Simulators share no code with adapters/, so they cannot agree with a connector's bugs.
  { name: 'sandboxes', folders: ['sandboxes'], mayImport: [] },
  { name: 'stack', folders: ['stack'], mayImport: 'everything' },
  { name: 'entry points', folders: ['bin', 'bench', 'scripts'], mayImport: 'everything', peers: true },
  // Tests (test/ and every *.test.ts beside the code) and the root's tool configs drive any layer.
  { name: 'tests', folders: ['test', './*'], mayImport: 'everything', peers: true },
];
