import { createMachineDbClient } from '@fleet/machinedb-client';

export async function main(baseUrl: string, username: string, password: string): Promise<string[]> {
  const anonymous = createMachineDbClient({ baseUrl, timeoutMs: 5000, retries: 3 });
  const { token } = await anonymous.login({ username, password });
  const client = anonymous.withToken(token);
  const names: string[] = [];
  for await (const node of client.iterateNodes({ state: 'inventoried', limit: 100 })) {
    names.push(`${node.id} ${node.state}`);
  }
  await anonymous.close();
  return names;
}
