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

describe('requests on the wire are signed as @smithy/signature-v4 would sign them', () => {
  it('verifies every request of the client (path-style, query, session token, signed payload)', async () => {
    const { createServer } = await import('node:http');
    const { createS3Client } = await import('../src/index.js');
    const credentials = { accessKeyId: 'AKIAWIRE', secretAccessKey: 'wire-secret', sessionToken: 'session/token' };
    const smithy = new SignatureV4({
      credentials,
      region: 'us-west-2',
      service: 's3',
      sha256: Sha256,
      uriEscapePath: false,
      applyChecksum: false,
    });
    const verdicts: boolean[] = [];
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
        const hashOk = headers['x-amz-content-sha256'] === sha256Hex(body);
        verdicts.push(expected.headers.authorization === auth && hashOk);
        res.writeHead(200, { 'content-length': 0 });
        res.end();
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as { port: number }).port;
    const client = createS3Client({
      endpoint: `http://127.0.0.1:${port}`,
      region: 'us-west-2',
      credentials,
      payloadSigning: 'signed',
    });
    try {
      expect((await client.putObject('bkt', 'a/b c+ሴ.bin', Buffer.from('hello'))).ok).toBe(true);
      expect((await client.getObject('bkt', "odd!key*(1)'.txt")).ok).toBe(true);
      // The same request again (within the second: the cached signature is used) must verify too.
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
      expect(verdicts).toEqual([true, true, true, true, true]);
    } finally {
      await client.close();
      server.close();
    }
  });
});
