import { readFileSync } from 'node:fs';
import { Sha256 } from '@aws-crypto/sha256-js';
import { SignatureV4 } from '@smithy/signature-v4';
import { describe, expect, it } from 'vitest';
import {
  canonicalQueryString,
  EMPTY_SHA256,
  SigV4Signer,
  sha256Hex,
  toAmzDate,
  UNSIGNED_PAYLOAD,
  uriEscapePath,
} from '../src/index.js';
// Internal (not exported from the package): the client's hot-path signer.
import { S3HeaderSigner } from '../src/sigv4.js';

interface Vector {
  name: string;
  method: string;
  path: string;
  query: Record<string, string>;
  headers: Record<string, string>;
  body?: string;
  authorization: string;
}
const suite = JSON.parse(readFileSync(new URL('./fixtures/sigv4-vectors.json', import.meta.url), 'utf8')) as {
  credentials: { accessKeyId: string; secretAccessKey: string };
  region: string;
  service: string;
  vectors: Vector[];
};

describe('SigV4 against the AWS test suite', () => {
  const signer = new SigV4Signer({ credentials: suite.credentials, region: suite.region, service: suite.service });
  for (const v of suite.vectors) {
    it(v.name, () => {
      const signed = signer.sign({
        method: v.method,
        path: v.path,
        query: v.query,
        headers: v.headers,
        payloadHash: v.body === undefined ? EMPTY_SHA256 : sha256Hex(v.body),
      });
      expect(signed.authorization).toBe(v.authorization);
    });
  }

  it('builds the documented canonical request for get-vanilla-query-order-key-case', () => {
    const v = suite.vectors.find((x) => x.name === 'get-vanilla-query-order-key-case')!;
    const signed = signer.sign({
      method: v.method,
      path: v.path,
      query: v.query,
      headers: v.headers,
      payloadHash: EMPTY_SHA256,
    });
    expect(signed.canonicalRequest).toBe(
      `GET\n/\nParam1=value1&Param2=value2\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\nhost;x-amz-date\n${EMPTY_SHA256}`,
    );
    expect(signed.stringToSign.split('\n').slice(0, 3)).toEqual([
      'AWS4-HMAC-SHA256',
      '20150830T123600Z',
      '20150830/us-east-1/service/aws4_request',
    ]);
  });

  it('refuses to sign without x-amz-date', () => {
    expect(() => signer.sign({ method: 'GET', path: '/', headers: { host: 'h' }, payloadHash: EMPTY_SHA256 })).toThrow(
      /x-amz-date/,
    );
  });
});

// A tiny seeded PRNG so failures are reproducible.
function prng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a * 1103515245 + 12345) & 0x7fffffff;
    return a / 0x80000000;
  };
}

describe('SigV4 agrees with @smithy/signature-v4 on random S3 requests', () => {
  const credentials = { accessKeyId: 'AKIAEXAMPLE', secretAccessKey: 'secret/with+chars=', sessionToken: 'tok/en+=' };
  const chars = "abcXYZ019-_.~ /!*'()+&=;@$,?#[]%ሴé😀";
  it('signs 300 random requests identically', async () => {
    const rnd = prng(42);
    const pick = (s: string): string => [...s][Math.floor(rnd() * [...s].length)]!;
    const word = (n: number): string => Array.from({ length: 1 + Math.floor(rnd() * n) }, () => pick(chars)).join('');
    const region = 'eu-central-1';
    const ours = new SigV4Signer({ credentials, region, service: 's3' });
    const smithy = new SignatureV4({
      credentials,
      region,
      service: 's3',
      sha256: Sha256,
      uriEscapePath: false,
      applyChecksum: false,
    });
    for (let i = 0; i < 300; i++) {
      const method = ['GET', 'PUT', 'HEAD', 'DELETE', 'POST'][i % 5]!;
      const rawPath = `/bucket-${i}/${word(20)}/${word(8)}`;
      const query: Record<string, string> = {};
      for (let q = Math.floor(rnd() * 4); q > 0; q--) query[word(6)] = rnd() < 0.3 ? '' : word(10);
      const date = new Date(Date.UTC(2024, 0, 1 + (i % 28), i % 24, i % 60, (i * 7) % 60));
      const payloadHash = rnd() < 0.5 ? UNSIGNED_PAYLOAD : sha256Hex(word(30));
      const headers: Record<string, string> = {
        host: 'bucket.s3.eu-central-1.amazonaws.com:9000',
        'x-amz-date': toAmzDate(date),
        'x-amz-content-sha256': payloadHash,
        'x-amz-security-token': credentials.sessionToken,
        'Content-Type': rnd() < 0.5 ? 'application/octet-stream' : '  text/plain;   charset=utf-8 ',
        [`x-amz-meta-${['a', 'Zed', 'm1'][i % 3]}`]: word(12).replace(/[^\x20-\x7e]/g, 'x'),
      };
      const mine = ours.sign({ method, path: rawPath, query, headers, payloadHash });
      const theirs = await smithy.sign(
        {
          method,
          protocol: 'https:',
          hostname: 'bucket.s3.eu-central-1.amazonaws.com',
          path: uriEscapePath(rawPath),
          query,
          headers: { ...headers },
        },
        { signingDate: date },
      );
      expect(mine.authorization, `request ${i}: ${method} ${rawPath}?${canonicalQueryString(query)}`).toBe(
        theirs.headers.authorization ?? theirs.headers.Authorization,
      );
    }
  });
});

/**
 * A server that re-signs every request it gets with @smithy/signature-v4 (from the headers the request
 * names as signed, the Host header on the wire among them) and records whether the Authorization and the
 * payload hash agree.
 */
async function startVerifyingServer(
  credentials: { accessKeyId: string; secretAccessKey: string; sessionToken?: string },
  region: string,
): Promise<{ port: number; verdicts: string[]; close: () => void }> {
  const { createServer } = await import('node:http');
  const smithy = new SignatureV4({
    credentials,
    region,
    service: 's3',
    sha256: Sha256,
    uriEscapePath: false,
    applyChecksum: false,
  });
  const verdicts: string[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', async () => {
      const url = new URL(req.url!, 'http://x');
      const auth = String(req.headers.authorization);
      const signedNames = /SignedHeaders=([^,]+)/.exec(auth)![1]!.split(';');
      const headers: Record<string, string> = {};
      for (const n of signedNames) headers[n] = String(req.headers[n]);
      const amz = headers['x-amz-date']!;
      const date = new Date(
        `${amz.slice(0, 4)}-${amz.slice(4, 6)}-${amz.slice(6, 8)}T${amz.slice(9, 11)}:${amz.slice(11, 13)}:${amz.slice(13, 15)}Z`,
      );
      const query: Record<string, string> = {};
      for (const [k, v] of url.searchParams) query[k] = v;
      const expected = await smithy.sign(
        { method: req.method!, protocol: 'http:', hostname: '127.0.0.1', path: url.pathname, query, headers },
        { signingDate: date },
      );
      const body = Buffer.concat(chunks);
      const payload = headers['x-amz-content-sha256'];
      const hashOk = payload === UNSIGNED_PAYLOAD || payload === sha256Hex(body);
      verdicts.push(
        expected.headers.authorization === auth && hashOk ? 'ok' : `${req.method} ${req.headers.host} ${req.url}: bad`,
      );
      res.writeHead(200, { 'content-length': 0 });
      res.end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { port: (server.address() as { port: number }).port, verdicts, close: () => server.close() };
}

describe('requests on the wire are signed as @smithy/signature-v4 would sign them', () => {
  it('verifies every request of the client (path-style, query, session token, signed payload)', async () => {
    const { createS3Client } = await import('../src/index.js');
    const credentials = { accessKeyId: 'AKIAWIRE', secretAccessKey: 'wire-secret', sessionToken: 'session/token' };
    const server = await startVerifyingServer(credentials, 'us-west-2');
    const client = createS3Client({
      endpoint: `http://127.0.0.1:${server.port}`,
      region: 'us-west-2',
      credentials,
      payloadSigning: 'signed',
    });
    try {
      expect((await client.putObject('bkt', 'a/b c+ሴ.bin', Buffer.from('hello'))).ok).toBe(true);
      expect((await client.getObject('bkt', "odd!key*(1)'.txt")).ok).toBe(true);
      // The same request again, within the same second, must verify too.
      expect((await client.getObject('bkt', "odd!key*(1)'.txt")).ok).toBe(true);
      expect((await client.listObjects('bkt', 'pre fix/', 7, 'tok=en/+')).ok).toBe(true);
      expect(
        (
          await client.send({
            method: 'PUT',
            bucket: 'bkt',
            key: 'k',
            headers: { 'Content-Type': ' text/plain ' },
            body: Buffer.from('x'),
          })
        ).ok,
      ).toBe(true);
      expect(server.verdicts).toEqual(['ok', 'ok', 'ok', 'ok', 'ok']);
    } finally {
      await client.close();
      server.close();
    }
  });

  it('verifies virtual-hosted requests without a session token and with unsigned payloads', async () => {
    const { createS3Client } = await import('../src/index.js');
    const credentials = { accessKeyId: 'AKIAVHOST', secretAccessKey: 'vhost/secret+' };
    const server = await startVerifyingServer(credentials, 'eu-west-1');
    // The Host header on the wire is undici's (from the pool's URL); the client signs the same value.
    const client = createS3Client({
      endpoint: `http://S3.Wire.Test:${server.port}`,
      region: 'eu-west-1',
      credentials,
      addressing: 'virtual',
      resolveTo: '127.0.0.1',
    });
    try {
      expect(client.hostFor('bkt')).toBe(`bkt.s3.wire.test:${server.port}`);
      expect((await client.putObject('bkt', 'dir/ä b.bin', Buffer.from('hello'))).ok).toBe(true);
      expect((await client.getObject('bkt', 'dir/ä b.bin')).ok).toBe(true);
      expect((await client.headObject('bkt', 'plain-key')).ok).toBe(true);
      expect((await client.deleteObject('other-bkt', 'k')).ok).toBe(true);
      expect((await client.listObjects('bkt', 'p/', 3)).ok).toBe(true);
      expect(
        (
          await client.send({
            method: 'PUT',
            bucket: 'bkt',
            key: 'k2',
            headers: { 'x-amz-meta-a': 'b' },
            body: Buffer.from('y'),
          })
        ).ok,
      ).toBe(true);
      expect(server.verdicts).toEqual(['ok', 'ok', 'ok', 'ok', 'ok', 'ok']);
    } finally {
      await client.close();
      server.close();
    }
  });
});

describe('the S3 hot-path signer', () => {
  it('gives the Authorization of SigV4Signer.sign for the same request, with and without a session token', () => {
    const rnd = prng(7);
    const chars = "abcXYZ019-_.~ /!*'()+&=;@$,?#[]%ሴé😀";
    const word = (n: number): string =>
      Array.from({ length: 1 + Math.floor(rnd() * n) }, () => [...chars][Math.floor(rnd() * [...chars].length)]!).join(
        '',
      );
    for (const sessionToken of [undefined, 'tok/en+=']) {
      const credentials = {
        accessKeyId: 'AKIAHOT',
        secretAccessKey: 'hot/secret',
        ...(sessionToken ? { sessionToken } : {}),
      };
      const options = { credentials, region: 'ap-south-1', service: 's3' };
      const reference = new SigV4Signer(options);
      const hot = new S3HeaderSigner(options);
      for (let i = 0; i < 200; i++) {
        const method = ['GET', 'PUT', 'HEAD', 'DELETE', 'POST'][i % 5]!;
        const path = uriEscapePath(`/bucket/${word(30)}`);
        const query: Record<string, string> = {};
        for (let q = Math.floor(rnd() * 3); q > 0; q--) query[word(5)] = word(8);
        const canonicalQuery = canonicalQueryString(query);
        const amzDate = toAmzDate(new Date(Date.UTC(2025, i % 12, 1 + (i % 28), i % 24, i % 60, (i * 13) % 60)));
        const payloadHash = i % 3 === 0 ? UNSIGNED_PAYLOAD : sha256Hex(word(20));
        const host = i % 2 === 0 ? 's3.example.com:9000' : 'bucket.s3.example.com';
        const headers: Record<string, string> = { host, 'x-amz-date': amzDate, 'x-amz-content-sha256': payloadHash };
        if (sessionToken) headers['x-amz-security-token'] = sessionToken;
        const expected = reference.signCanonical(
          method,
          path,
          canonicalQuery,
          Object.keys(headers)
            .sort()
            .map((n) => [n, headers[n]!] as const),
          amzDate,
          payloadHash,
        ).authorization;
        expect(hot.authorization(method, path, canonicalQuery, host, payloadHash, amzDate), `request ${i}`).toBe(
          expected,
        );
      }
    }
  });

  it('signs as @smithy/signature-v4 when the string to sign is long or not ASCII (the HMAC buffer edge)', async () => {
    const credentials = { accessKeyId: 'AKIALONG', secretAccessKey: 'long-secret' };
    // The region is part of the scope and so of the string to sign: 2,000 characters overflow the HMAC's
    // buffer (the createHmac fallback), 'ré-gion' makes it UTF-8 with two-byte characters.
    for (const region of ['r'.repeat(2000), 'ré-gion-ሴ', 'us-east-1']) {
      const ours = new SigV4Signer({ credentials, region, service: 's3' });
      const smithy = new SignatureV4({
        credentials,
        region,
        service: 's3',
        sha256: Sha256,
        uriEscapePath: false,
        applyChecksum: false,
      });
      const date = new Date(Date.UTC(2025, 5, 6, 7, 8, 9));
      const headers = { host: 'h.example', 'x-amz-date': toAmzDate(date), 'x-amz-content-sha256': UNSIGNED_PAYLOAD };
      const mine = ours.sign({ method: 'GET', path: '/b/k', headers, payloadHash: UNSIGNED_PAYLOAD });
      const theirs = await smithy.sign(
        { method: 'GET', protocol: 'https:', hostname: 'h.example', path: '/b/k', query: {}, headers: { ...headers } },
        { signingDate: date },
      );
      expect(mine.authorization, region.slice(0, 12)).toBe(theirs.headers.authorization);
    }
  });
});
