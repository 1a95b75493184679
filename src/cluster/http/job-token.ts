/**
 * Job tokens: what every request to an edge executor carries (except its
 * health check). A token names the job (or `"driver"` for the driver's own
 * calls: shipping tables, dropping shuffles), the executor it is for, and an
 * expiry, signed with HMAC-SHA-256 (Web Crypto, in every runtime Cinder
 * runs in) by the secret the driver and the executors share. Executors mint
 * tokens for each other with the same secret when they fetch blocks.
 *
 * Format: `base64url(JSON claims) "." base64url(HMAC(claims))`.
 *
 * @example
 * const signer = await JobTokenSigner.create("s3cret");
 * const token = await signer.sign({ job: 3, executor: "edge-1a2b", exp: Date.now() + 60_000 });
 * const claims = await signer.verify(token); // null when forged, malformed or expired
 */

/** Whom a token lets do what, until when (ms since epoch). */
export interface JobClaims {
  job: number | "driver";
  executor: string;
  exp: number;
}

const encoder = new TextEncoder();

function base64url(bytes: Uint8Array): string {
  let s = "";
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

function fromBase64url(text: string): Uint8Array<ArrayBuffer> | null {
  if (!/^[A-Za-z0-9_-]*$/.test(text)) return null;
  const s = atob(text.replace(/-/g, "+").replace(/_/g, "/") + "===".slice((text.length + 3) % 4));
  return Uint8Array.from(s, (c) => c.charCodeAt(0));
}

export class JobTokenSigner {
  private constructor(private readonly key: CryptoKey) {}

  static async create(secret: string): Promise<JobTokenSigner> {
    if (!secret) throw new TypeError("a job token secret must not be empty");
    const key = await crypto.subtle.importKey("raw", encoder.encode(secret), { name: "HMAC", hash: "SHA-256" }, false, ["sign", "verify"]);
    return new JobTokenSigner(key);
  }

  async sign(claims: JobClaims): Promise<string> {
    const body = encoder.encode(JSON.stringify(claims));
    const mac = new Uint8Array(await crypto.subtle.sign("HMAC", this.key, body));
    return `${base64url(body)}.${base64url(mac)}`;
  }

  /** The claims of a token signed with this secret and not expired at `now`; null otherwise. */
  async verify(token: string, now = Date.now()): Promise<JobClaims | null> {
    const dot = token.indexOf(".");
    if (dot <= 0) return null;
    const body = fromBase64url(token.slice(0, dot)), mac = fromBase64url(token.slice(dot + 1));
    if (!body || !mac) return null;
    // verify() compares in constant time.
    if (!await crypto.subtle.verify("HMAC", this.key, mac, body)) return null;
    let claims: unknown;
    try { claims = JSON.parse(new TextDecoder().decode(body)); } catch { return null; }
    const c = claims as Partial<JobClaims>;
    if (typeof c.exp !== "number" || typeof c.executor !== "string" || (typeof c.job !== "number" && c.job !== "driver")) return null;
    return c.exp > now ? (c as JobClaims) : null;
  }
}
