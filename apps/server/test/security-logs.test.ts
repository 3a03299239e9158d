import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { redactUrl } from '../src/platform/http/log-redaction.ts';
import { createHarness, type Harness } from './support/harness.ts';

/**
 * Issue #19, finding 9: personal data in access logs. Logs are kept long and read by operators;
 * tracking codes in paths and keys, phones and reasons in query strings stay out of them.
 */
const lines: string[] = [];
const sink = new Writable({
  write(chunk, _encoding, done) {
    lines.push(...String(chunk).split('\n').filter(Boolean));
    done();
  },
});
let h: Harness;
beforeAll(async () => {
  h = await createHarness({ app: { logger: { level: 'info', stream: sink } } });
});
afterAll(() => h?.close());

describe('the access log', () => {
  test('keeps no tracking code, API key, phone or reason', async () => {
    const secrets = ['7KQ4-M9TX-3R', 'partner-secret-key-0001', '13812345678', '本人申请'];
    await h.app.inject({ url: `/api/v1/track/${secrets[0]}` });
    await h.app.inject({ url: `/open311/v2/requests.json?api_key=${secrets[1]}&status=open` });
    await h.app.inject({
      url: `/api/v1/people/export?phone=${secrets[2]}&reason=${encodeURIComponent(secrets[3]!)}`,
    });
    const logged = lines.join('\n');
    expect(logged).toContain('/api/v1/track/[redacted]');
    expect(logged).toContain('api_key=[redacted]&status=open');
    for (const secret of secrets) expect(logged).not.toContain(secret);
    expect(logged).not.toContain(encodeURIComponent(secrets[3]!));
  });

  test('leaves the rest of a URL as it was', () => {
    expect(redactUrl('/api/v1/appeals?status=open&limit=20')).toBe('/api/v1/appeals?status=open&limit=20');
    expect(redactUrl('/api/v1/track/ABCD-EFGH-JK/rating')).toBe('/api/v1/track/[redacted]/rating');
    expect(redactUrl('/x?%ZZ=1&Phone=1')).toBe('/x?%ZZ=1&Phone=[redacted]');
  });
});
