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
