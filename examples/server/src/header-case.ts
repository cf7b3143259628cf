import type { ServerResponse } from 'node:http';
import type { FastifyInstance } from 'fastify';

/** `content-length` → `Content-Length`: the case HTTP/1.1 specifications spell header names in. */
export function canonicalHeaderName(name: string): string {
  return name.replace(/(^|-)([a-z])/g, (_match, dash: string, letter: string) => `${dash}${letter.toUpperCase()}`);
}

/**
 * Answers under `pathPrefix` name their headers in canonical case (`Content-Length`, not `content-length`).
 *
 * GRUB's HTTP client (2.06, Debian 12's signed netboot GRUB) finds the body length by comparing the header
 * line byte for byte with `Content-Length: ` (and `Transfer-Encoding: chunked`). Node and Fastify write
 * lower-case names, so GRUB read every file from this server — its config, kernel and initrd — as empty
 * and dropped to its prompt. Header names are case-insensitive for every other client (RFC 9110), so only
 * the spelling changes. Fastify sends headers through `writeHead(status, object)` for whole bodies and
 * `setHeader` for streams: both are wrapped for the one response.
 */
export function canonicalHeaderCase(app: FastifyInstance, pathPrefix: string): void {
  app.addHook('onRequest', async (request, reply) => {
    if (!request.url.startsWith(pathPrefix)) return;
    const res: ServerResponse = reply.raw;
    const setHeader = res.setHeader.bind(res);
    res.setHeader = ((name: string, value: number | string | readonly string[]) =>
      setHeader(canonicalHeaderName(name), value)) as typeof res.setHeader;
    const writeHead = res.writeHead.bind(res) as (status: number, ...rest: unknown[]) => ServerResponse;
    res.writeHead = ((status: number, ...rest: unknown[]) => {
      const last = rest[rest.length - 1];
      if (last !== null && typeof last === 'object' && !Array.isArray(last)) {
        rest[rest.length - 1] = Object.fromEntries(
          Object.entries(last as Record<string, unknown>).map(([name, value]) => [canonicalHeaderName(name), value]),
        );
      }
      return writeHead(status, ...rest);
    }) as typeof res.writeHead;
  });
}
