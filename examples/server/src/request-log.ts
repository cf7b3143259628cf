import type { Logger } from '@fleet/core';
import type { FastifyInstance } from 'fastify';

/**
 * One log line when a request arrives (debug) and one when its answer is sent (info): method, the host the
 * client asked for, path, status, bytes sent, milliseconds and the peer. A machine that stops booting is diagnosed from the last lines: the
 * fetch it made last, and whether that fetch ever finished. The query string is left out (a path never
 * carries a secret here; a query could), and no header is logged.
 */
export function logRequests(app: FastifyInstance, logger: Logger): void {
  const pathOf = (url: string) => {
    const q = url.indexOf('?');
    return q < 0 ? url : url.slice(0, q);
  };
  app.addHook('onRequest', async (request) => {
    logger.debug('request', { method: request.method, host: request.host, path: pathOf(request.url), peer: request.ip });
  });
  app.addHook('onResponse', async (request, reply) => {
    const length = reply.getHeader('content-length');
    logger.info('response', {
      method: request.method,
      host: request.host,
      path: pathOf(request.url),
      status: reply.statusCode,
      bytes: typeof length === 'number' || typeof length === 'string' ? Number(length) : null,
      ms: Math.round(reply.elapsedTime),
      peer: request.ip,
    });
  });
  app.addHook('onRequestAbort', async (request) => {
    logger.warn('request aborted by the client', { method: request.method, host: request.host, path: pathOf(request.url), peer: request.ip });
  });
}
