import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK, type JWTPayload } from 'jose';

interface SigningKey {
  kid: string;
  privateKey: CryptoKey;
  jwk: JWK;
}

export const ISSUER = 'https://id.test.example';
export const AUDIENCE = 'plan-cache';

/**
 * An identity provider for tests: a real HTTP server publishing a JWKS of RS256 keys made with
 * jose, which signs tokens with any of them; keys can be added (rotation) or withdrawn.
 */
export class JwksServer {
  /** Requests for the key set. */
  fetches = 0;
  readonly #keys: SigningKey[] = [];
  readonly #server: Server;
  #url = '';

  constructor() {
    this.#server = createServer((request, response) => {
      this.fetches++;
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ keys: this.#keys.map((key) => key.jwk) }));
    });
  }

  get url(): string {
    return this.#url;
  }

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.#server.listen(0, '127.0.0.1', resolve));
    this.#url = `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}/.well-known/jwks.json`;
    await this.addKey('first');
    return this;
  }

  async stop(): Promise<void> {
    this.#server.closeAllConnections();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  /** A new signing key, published from now on. */
  async addKey(kid: string): Promise<void> {
    const { privateKey, publicKey } = await generateKeyPair('RS256');
    const jwk = { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' };
    this.#keys.push({ kid, privateKey, jwk });
  }

  /** A signing key that is not published: its tokens name a key the provider does not have. */
  static async unpublishedKey(): Promise<CryptoKey> {
    return (await generateKeyPair('RS256')).privateKey;
  }

  /** A token for `claims` (sub, tenant, ...), valid for ten minutes unless the claims say otherwise. */
  async sign(claims: JWTPayload, { kid = 'first', key }: { kid?: string; key?: CryptoKey } = {}): Promise<string> {
    const signing = key ?? this.#keys.find((candidate) => candidate.kid === kid)?.privateKey;
    if (!signing) throw new Error(`no key ${kid}`);
    const now = Math.floor(Date.now() / 1000);
    return new SignJWT({ iss: ISSUER, aud: AUDIENCE, iat: now, exp: now + 600, ...claims })
      .setProtectedHeader({ alg: 'RS256', kid })
      .sign(signing);
  }
}

/** A token signed with nothing (`alg: none`), as an attacker would send. */
export function unsignedToken(claims: JWTPayload): string {
  const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${encode({ alg: 'none', typ: 'JWT' })}.${encode({ iss: ISSUER, aud: AUDIENCE, exp: Math.floor(Date.now() / 1000) + 600, ...claims })}.`;
}

/** The HS256 secret of the suites that verify tokens with AUTH_JWT_SECRET. */
export const TEST_JWT_SECRET = 'a-test-secret-of-at-least-thirty-two-chars';

/** A token signed with an HS256 secret, valid for five minutes. */
export function hs256Token(claims: JWTPayload, secret = TEST_JWT_SECRET): Promise<string> {
  return new SignJWT(claims)
    .setProtectedHeader({ alg: 'HS256' })
    .setExpirationTime('5m')
    .sign(new TextEncoder().encode(secret));
}

/** The Authorization header of a signed-in caller (HS256, TEST_JWT_SECRET). */
export async function signedIn(claims: JWTPayload): Promise<{ authorization: string }> {
  return { authorization: `Bearer ${await hs256Token(claims)}` };
}
