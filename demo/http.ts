/** JSON over HTTP with a key, for the demo's reads and checks: the body parsed (the text when it is not JSON). */
export async function api<T = any>(method: string, url: string, key: string | undefined, body?: unknown): Promise<{ status: number; body: T }> {
  let res = await call(method, url, key, body);
  // Over the key's rate limit: wait as told and try again (a few times).
  for (let attempt = 0; res.status === 429 && attempt < 5; attempt += 1) {
    await new Promise((r) => setTimeout(r, Math.min(60, Number(res.headers.get('retry-after') ?? 1)) * 1000));
    res = await call(method, url, key, body);
  }
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    // not JSON: keep the text
  }
  return { status: res.status, body: parsed as T };
}

function call(method: string, url: string, key: string | undefined, body?: unknown): Promise<Response> {
  return fetch(url, {
    method,
    headers: { ...(key ? { 'x-api-key': key } : {}), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    signal: AbortSignal.timeout(60_000),
  });
}

/** The body of a 200, or an error naming the call and what came back. */
export async function ok<T = any>(url: string, key: string): Promise<T> {
  const res = await api<T>('GET', url, key);
  if (res.status !== 200) throw new Error(`GET ${url}: ${res.status} ${JSON.stringify(res.body).slice(0, 300)}`);
  return res.body;
}

/** `fn` over `items`, `concurrency` at a time, results in order. */
export async function mapLimit<T, R>(items: readonly T[], concurrency: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await fn(items[i]!);
      }
    }),
  );
  return out;
}
