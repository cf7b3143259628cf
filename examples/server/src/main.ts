import { createServer } from 'node:http';

// Placeholder main job until the full provisioning server lands: answers /healthz.
const port = Number(process.env.FLEET_PORT ?? 8080);
const host = process.env.FLEET_HOST ?? '127.0.0.1';
const server = createServer((req, res) => {
  if (req.url === '/healthz') {
    res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"ok"}');
    return;
  }
  res.writeHead(404, { 'content-type': 'application/json' }).end('{"code":"NOT_FOUND","message":"no such route"}');
});
server.listen(port, host, () => console.log(`fleet server listening on http://${host}:${port}`));
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => server.close());
