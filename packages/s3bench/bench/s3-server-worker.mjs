// Minimal S3-shaped HTTP server for the bench, run in a worker thread so the client has its own event loop.
import { createServer } from 'node:http';
import { parentPort } from 'node:worker_threads';

const body = Buffer.alloc(1024, 97);
const listXml = Buffer.from(
  '<?xml version="1.0" encoding="UTF-8"?><ListBucketResult><Name>bench</Name><KeyCount>0</KeyCount><IsTruncated>false</IsTruncated></ListBucketResult>',
);
const server = createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    if (req.method === 'GET' && req.url.includes('list-type')) {
      res.writeHead(200, { 'content-type': 'application/xml', 'content-length': listXml.length });
      res.end(listXml);
    } else if (req.method === 'GET') {
      res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': body.length, etag: '"e"' });
      res.end(body);
    } else if (req.method === 'DELETE') {
      res.writeHead(204);
      res.end();
    } else {
      res.writeHead(200, { etag: '"e"', 'content-length': 0 });
      res.end();
    }
  });
});
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => parentPort.postMessage(server.address().port));
parentPort.on('message', (m) => {
  if (m === 'close') server.close(() => process.exit(0));
});
