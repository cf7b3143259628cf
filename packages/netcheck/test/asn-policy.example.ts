import { createAsnPolicy } from '@fleet/bootconfig';
import { type AsnEvidence, type CheckResult, checkAsnPolicy, configuredAsnsOf } from '@fleet/netcheck';

// The site's scheme: rack r1's nodes are AS65001, r2's AS65002, load balancers AS65300 wherever they stand.
const policy = createAsnPolicy({
  sites: { fra1: { nodeBase: 65001, torBase: 65101, racks: { r1: 0, r2: 1 } } },
  roles: { lb: 65300 },
});

// Where each node stands (MachineDB) and the bird.conf it runs (read from the node).
const nodes = [
  { name: 'fra1-r1-n1', site: 'fra1', rack: 'r1', bird: 'protocol bgp tor { local as 65001; neighbor 10.1.0.1 as 65101; }' },
  { name: 'fra1-r2-n1', site: 'fra1', rack: 'r2', bird: 'protocol bgp tor { local as 65001; neighbor 10.2.0.1 as 65102; }' },
  { name: 'fra1-r2-lb1', site: 'fra1', rack: 'r2', role: 'lb', bird: 'protocol bgp tor { local as 65300; neighbor 10.2.0.1 as 65102; }' },
];

export function main(): CheckResult<AsnEvidence> {
  return checkAsnPolicy(
    nodes.map((node) => ({ ...node, configuredAsn: configuredAsnsOf(node.bird)[0] })),
    // nodeAsn(location) is the ASN the policy gives a node. (owner(asn) answers another question: whose is it?)
    { expectedAsn: (node) => policy.nodeAsn(node) },
  );
}
