import type { ConsulClient } from './client.js';
import { toConsulError } from './errors.js';

export type CheckStatus = 'passing' | 'warning' | 'critical' | 'maintenance';

export interface CatalogCheck {
  id: string;
  name: string;
  status: CheckStatus;
  serviceId: string;
  serviceName: string;
  output: string;
}

export interface CatalogServiceInstance {
  id: string;
  name: string;
  tags: string[];
  address: string;
  port: number;
}

export interface CatalogNodeInfo {
  name: string;
  address: string;
  taggedAddresses: Record<string, string>;
  meta: Record<string, string>;
  services: CatalogServiceInstance[];
  checks: CatalogCheck[];
}

export interface CatalogSnapshot {
  datacenter: string;
  nodes: CatalogNodeInfo[];
}

interface RawNode {
  Node: string;
  Address: string;
  Datacenter?: string;
  TaggedAddresses?: Record<string, string> | null;
  Meta?: Record<string, string> | null;
}

interface RawCheck {
  Node: string;
  CheckID: string;
  Name: string;
  Status: string;
  ServiceID?: string;
  ServiceName?: string;
  Output?: string;
}

interface RawCatalogService {
  Node: string;
  ServiceID: string;
  ServiceName: string;
  ServiceTags?: string[] | null;
  ServiceAddress?: string;
  ServicePort?: number;
}

async function step<T>(operation: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    throw toConsulError(operation, error);
  }
}

/**
 * Reads one datacenter's catalog and health: every node with its address, tagged addresses, services and
 * checks. `dc` is passed as `?dc=` (the agent forwards it); omit it for the agent's own datacenter.
 * Costs 3 + (number of services) requests.
 */
export async function readCatalog(consul: ConsulClient, dc?: string): Promise<CatalogSnapshot> {
  const opt = dc ? { dc } : {};
  const where = dc ? ` (dc ${dc})` : '';
  const [rawNodes, rawChecks, services] = await Promise.all([
    step(`catalog nodes${where}`, () => consul.catalog.nodes(opt as never) as Promise<RawNode[]>),
    step(`health state any${where}`, () => consul.health.state({ state: 'any', ...opt }) as Promise<RawCheck[]>),
    step(`catalog services${where}`, () => consul.catalog.services(opt) as Promise<Record<string, string[]>>),
  ]);
  const instances = await Promise.all(
    Object.keys(services ?? {}).map((service) =>
      step(
        `catalog service ${service}${where}`,
        () => consul.catalog.service.nodes({ service, ...opt }) as Promise<RawCatalogService[]>,
      ),
    ),
  );
  const byNode = new Map<string, CatalogNodeInfo>();
  let datacenter = dc ?? '';
  for (const n of rawNodes ?? []) {
    if (!datacenter && n.Datacenter) datacenter = n.Datacenter;
    byNode.set(n.Node, {
      name: n.Node,
      address: n.Address,
      taggedAddresses: { ...(n.TaggedAddresses ?? {}) },
      meta: { ...(n.Meta ?? {}) },
      services: [],
      checks: [],
    });
  }
  for (const list of instances) {
    for (const s of list ?? []) {
      byNode.get(s.Node)?.services.push({
        id: s.ServiceID,
        name: s.ServiceName,
        tags: [...(s.ServiceTags ?? [])],
        address: s.ServiceAddress ?? '',
        port: s.ServicePort ?? 0,
      });
    }
  }
  for (const c of rawChecks ?? []) {
    byNode.get(c.Node)?.checks.push({
      id: c.CheckID,
      name: c.Name,
      status: c.Status as CheckStatus,
      serviceId: c.ServiceID ?? '',
      serviceName: c.ServiceName ?? '',
      output: c.Output ?? '',
    });
  }
  const nodes = [...byNode.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const n of nodes) n.services.sort((a, b) => (a.id < b.id ? -1 : 1));
  return { datacenter, nodes };
}

/** The datacenters the agent knows (its own first). */
export async function listDatacenters(consul: ConsulClient): Promise<string[]> {
  return await step('catalog datacenters', () => consul.catalog.datacenters());
}
