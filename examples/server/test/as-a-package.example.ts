import { startTestServer } from '@fleet/example-server';

export async function main(): Promise<number> {
  const s = await startTestServer();
  try {
    return (await s.admin.listNodes()).items.length; // 0: a fresh data directory
  } finally {
    await s.stop();
  }
}
