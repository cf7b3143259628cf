// Placeholder until the inventory script lands: an empty, valid inventory.
process.stdout.write(`${JSON.stringify({ _meta: { hostvars: {} }, all: { children: [] } })}\n`);
