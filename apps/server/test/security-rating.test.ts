import { maskTrackingCode } from '@doorstep/contracts/vocabulary';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type AppealWorld, type Created, createAppealWorld, WORLD_TIMEOUT_MS } from './support/appeals.ts';

/**
 * Issue #19, finding 1: staff could forge the resident's rating. Every unit that saw the appeal
 * saw the full tracking code, and the code was the only credential of `POST /track/{code}/rating`:
 * the unit complained about could rate its own work 满意 and lock the resident out. Now staff see a
 * masked code everywhere, and rating takes the resident's 评价码, which no staff member holds.
 */
let w: AppealWorld;
beforeAll(async () => {
  w = await createAppealWorld(['district-dispatcher', 'dept-handler', 'grid-worker', 'admin']);
}, WORLD_TIMEOUT_MS);
afterAll(() => w?.h.close());

const get = (user: string, url: string) => w.h.app.inject({ url, headers: w.as(user) });

describe('staff never hold a resident’s tracking code whole', () => {
  let appeal: Created;
  beforeAll(async () => {
    appeal = await w.driveTo('dispatched');
  });

  test('the detail, list, inbox and CSV export show it masked', async () => {
    const masked = maskTrackingCode(appeal.trackingCode);
    expect(masked).toMatch(/^[2-9A-Z]{4}-\*{4}-[2-9A-Z]{2}$/);
    // A resident reads the code to the hotline: the full code still finds the appeal.
    const byCode = await get('district-dispatcher', `/api/v1/appeals?q=${appeal.trackingCode}`);
    expect(byCode.json().items.map((a: { id: string }) => a.id)).toEqual([appeal.id]);
    const replies = [
      byCode,
      await get('district-dispatcher', `/api/v1/appeals/${appeal.id}`),
      await get('dept-handler', `/api/v1/appeals/${appeal.id}`),
      await get('dept-handler', '/api/v1/inbox'),
      await get('district-dispatcher', `/api/v1/appeals/export?q=${appeal.trackingCode}`),
    ];
    for (const reply of replies) {
      expect(reply.statusCode, reply.body).toBe(200);
      expect(reply.body).toContain(masked);
      expect(reply.body).not.toContain(appeal.trackingCode);
      expect(reply.body).not.toContain(appeal.ratingToken);
    }
  });
});

describe('the code alone does not rate', () => {
  let appeal: Created;
  beforeAll(async () => {
    appeal = await w.driveTo('resolved');
  });

  test('without the 评价码 the request is refused; with another appeal’s it is 403', async () => {
    const bare = await w.h.app.inject({
      method: 'POST',
      url: `/api/v1/track/${appeal.trackingCode}/rating`,
      payload: { score: 'satisfied' },
    });
    expect(bare.statusCode).toBe(400);
    const other = await w.newAppeal();
    const forged = await w.rate(appeal, 'satisfied', '处理得很好', other.ratingToken);
    expect(forged.statusCode).toBe(403);
    expect(forged.json().error.code).toBe('invalid_rating_token');
    // Nothing changed: the resident can still rate.
    expect((await w.track(appeal.trackingCode)).json()).toMatchObject({ canRate: true, rating: null });
  });

  test('the resident rates with it, in any case and without the dash, and the journal says so', async () => {
    const typed = appeal.ratingToken.replace('-', '').toLowerCase();
    const rated = await w.rate(appeal, 'satisfied', undefined, typed);
    expect(rated.statusCode, rated.body).toBe(200);
    expect(rated.json()).toMatchObject({ rating: 'satisfied', canRate: false });
    const timeline = (await get('district-dispatcher', `/api/v1/appeals/${appeal.id}`)).json().timeline;
    const entry = timeline.find((e: { action: string }) => e.action === 'appeal.rated');
    expect(entry).toMatchObject({ actorId: null, data: { score: 'satisfied', by: 'resident_token' } });
    // One rating per resident secret.
    const again = await w.rate(appeal, 'unsatisfied');
    expect(again.json().error.code).toBe('already_rated');
  });
});

describe('an appeal a clerk takes on the hotline', () => {
  let id: string;
  let trackingCode: string;

  test('the clerk’s receipt has the code to read out but no 评价码', async () => {
    const filed = await w.submit(
      { channel: 'hotline', contact: { name: '陈红', phone: '13700005555' } },
      w.as('district-dispatcher'),
    );
    expect(filed.statusCode, filed.body).toBe(201);
    expect(filed.json().ratingToken).toBeNull();
    id = filed.json().id;
    trackingCode = filed.json().trackingCode;
  });

  test('the resident gets it by SMS; the gateway operator sees none of it; the resident rates', async () => {
    const sent = await w.h.services.db.one<{ body: string }>(
      "SELECT body FROM outbox WHERE appeal_id = $1 AND template = 'appeal.submitted'",
      [id],
    );
    const token = sent?.body.match(/评价码 ([2-9A-Z]{4}-[2-9A-Z]{4})/)?.[1];
    expect(token, sent?.body).toBeDefined();
    const operator = await get('admin', `/api/v1/outbox?appealId=${id}`);
    expect(operator.statusCode).toBe(200);
    expect(operator.body).toContain('评价码 ****-****');
    expect(operator.body).not.toContain(token!);

    for (const [user, action, body] of [
      ['district-dispatcher', 'accept', {}],
      ['district-dispatcher', 'dispatch', { orgId: w.dept.urban }],
      ['dept-handler', 'claim', {}],
      ['dept-handler', 'resolve', { summary: '已更换井盖' }],
    ] as const)
      await w.must(user, id, action, body);
    const resolvedSms = await w.h.services.db.one<{ body: string }>(
      "SELECT body FROM outbox WHERE appeal_id = $1 AND template = 'appeal.resolved'",
      [id],
    );
    expect(resolvedSms?.body).toContain(`评价码 ${token}`);
    const rated = await w.rate({ id, trackingCode, ratingToken: token! }, 'basically_satisfied');
    expect(rated.statusCode, rated.body).toBe(200);
  });
});
