import type { Browser, Page, Route } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { launchBrowser } from './support/browser.ts';
import { DEMO_PASSWORD, type RunningDoorstep, startDoorstep } from './support/doorstep.ts';
import {
  consoleErrors,
  horizontalOverflow,
  phonePhoto,
  residentPage,
  screenshot,
} from './support/resident.ts';
import { act, apiToken, departmentId, submitAppeal } from './support/staff.ts';

/*
 * The staff mobile workbench at /m/ (issue #23 item 1, first part): a grid worker on a 390×844
 * phone signs in, finds the case given to the grid, claims, starts and resolves it, then verifies
 * on site a department's result in the grid, with its position. The resolution's photo is taken
 * with no network: the step waits on the phone and goes, under one Idempotency-Key, when the
 * network is back — even when the first answer is lost on the way.
 */
let doorstep: RunningDoorstep;
let browser: Browser;
let grid: { id: number; lat: number; lng: number };

beforeAll(async () => {
  [doorstep, browser] = await Promise.all([startDoorstep(), launchBrowser()]);
  const worker = await apiToken(doorstep.baseUrl, 'grid-worker');
  const me = (await (
    await fetch(`${doorstep.baseUrl}/api/v1/auth/me`, { headers: { authorization: `Bearer ${worker}` } })
  ).json()) as { user: { orgId: number } };
  const unit = (await (
    await fetch(`${doorstep.baseUrl}/api/v1/orgs/${me.user.orgId}`, {
      headers: { authorization: `Bearer ${worker}` },
    })
  ).json()) as { boundary: { type: string; coordinates: number[][][] | number[][][][] } };
  // The centre of the grid's first ring's bounding box: inside these compact demo grids.
  const ring = (
    unit.boundary.type === 'Polygon'
      ? (unit.boundary.coordinates as number[][][])[0]
      : (unit.boundary.coordinates as number[][][][])[0]![0]
  )!;
  const lngs = ring.map((p) => p[0]!);
  const lats = ring.map((p) => p[1]!);
  grid = {
    id: me.user.orgId,
    lng: (Math.min(...lngs) + Math.max(...lngs)) / 2,
    lat: (Math.min(...lats) + Math.max(...lats)) / 2,
  };
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await doorstep?.stop();
});

async function signIn(page: Page) {
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto(`${doorstep.baseUrl}/m/`);
  await page.locator('input[name="username"]').fill('grid-worker');
  await page.locator('input[name="password"]').fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: '登录' }).click();
  await page.getByTestId('m-inbox').waitFor();
}

const poll = { timeout: 30_000 };

/** What the server holds of an appeal, read by the dispatcher. */
async function serverView(id: string) {
  const dispatcher = await apiToken(doorstep.baseUrl, 'district-dispatcher');
  const response = await fetch(`${doorstep.baseUrl}/api/v1/appeals/${id}`, {
    headers: { authorization: `Bearer ${dispatcher}` },
  });
  return (await response.json()) as {
    status: string;
    attachments: { stage: string }[];
    timeline: { action: string; data: Record<string, unknown> }[];
    patrol: { id: string; track: [number, number][] } | null;
  };
}

/** Failed loads the test caused on purpose (offline, a dropped answer); anything else is a fault. */
const unexpected = (lines: string[]) =>
  lines.filter(
    (line) =>
      !line.includes('401') &&
      !line.includes('ERR_INTERNET_DISCONNECTED') &&
      !line.includes('ERR_CONNECTION_RESET'),
  );

describe('the staff mobile workbench at 390×844', { timeout: 120_000 }, () => {
  test('a grid worker claims, starts and resolves the case given to the grid, on the phone', async () => {
    const dispatcher = await apiToken(doorstep.baseUrl, 'district-dispatcher');
    const appeal = await submitAppeal(doorstep.baseUrl, '移动端测试：楼道堆放杂物堵塞消防通道', grid);
    await act(doorstep.baseUrl, dispatcher, appeal.id, 'accept');
    await act(doorstep.baseUrl, dispatcher, appeal.id, 'dispatch', { orgId: grid.id });

    const page = await residentPage(browser, doorstep.baseUrl, grid);
    await signIn(page);
    const item = page.locator(`[data-section="toClaim"] [data-appeal="${appeal.id}"]`);
    await item.waitFor(poll);
    expect(await horizontalOverflow(page)).toBe(0);
    await screenshot(page, 'm-1-inbox');
    await item.click();

    const status = page.getByTestId('m-status');
    await page.locator('[data-action="claim"]').click();
    await expect.poll(() => status.innerText(), poll).toBe('已签收');
    await page.locator('[data-action="start"]').click();
    await expect.poll(() => status.innerText(), poll).toBe('处置中');
    // A note on the way: it joins the timeline with the worker's name.
    await page.locator('[data-action="note"]').click();
    await page.getByTestId('m-text').locator('textarea').fill('已上门联系物业，约定今天下午清理');
    await page.getByTestId('m-submit').click();
    await expect
      .poll(async () => {
        const detail = (await (
          await page.context().request.get(`${doorstep.baseUrl}/api/v1/appeals/${appeal.id}`)
        ).json()) as {
          timeline: { action: string; data: { text?: string } }[];
        };
        return detail.timeline.find((entry) => entry.action === 'appeal.note')?.data.text;
      }, poll)
      .toBe('已上门联系物业，约定今天下午清理');
    await screenshot(page, 'm-2-case');

    // In a basement: no network. The photo is taken and the step kept on the phone.
    await page.context().setOffline(true);
    await page.locator('[data-action="resolve"]').click();
    await page.getByTestId('m-text').locator('textarea').fill('已联系物业清理杂物，消防通道恢复畅通');
    await page
      .getByTestId('m-photos')
      .locator('input[type=file]')
      .setInputFiles({ name: 'IMG_0002.jpg', mimeType: 'image/jpeg', buffer: await phonePhoto(1600, 1200) });
    await page.getByTestId('m-photos').locator('.van-uploader__preview').waitFor(poll);
    await screenshot(page, 'm-3-resolve');
    await page.getByTestId('m-submit').click();
    await page.getByTestId('m-waiting').waitFor(poll);
    expect(await page.getByTestId('m-queue').innerText()).toContain('1 项操作待发送');
    expect(await page.locator('[data-action]').count()).toBe(0);
    await screenshot(page, 'm-4-queued');
    expect((await serverView(appeal.id)).status).toBe('in_progress');

    // The network comes back flaky: the photo and the step arrive, the answer is lost on the way back.
    let lost = 0;
    await page.route('**/api/v1/appeals/*/actions/resolve', async (route: Route) => {
      await route.fetch();
      lost++;
      await route.abort('connectionreset');
    });
    await page.context().setOffline(false);
    await expect.poll(() => lost, poll).toBe(1);
    const held = await serverView(appeal.id);
    expect(held.status).toBe('resolved');
    expect(held.attachments.filter((a) => a.stage === 'resolution')).toHaveLength(1);
    await page.getByTestId('m-waiting').waitFor();

    // Fully back: the resend under the same key is answered with the case, and nothing is done twice.
    await page.unrouteAll();
    await page.evaluate(() => window.dispatchEvent(new Event('online')));
    await expect.poll(() => status.innerText(), poll).toBe('已办结');
    await expect.poll(() => page.getByTestId('m-queue').count(), poll).toBe(0);
    const after = await serverView(appeal.id);
    expect(after.timeline.filter((e) => e.action === 'appeal.resolve')).toHaveLength(1);
    expect(after.attachments).toHaveLength(1);
    expect(await horizontalOverflow(page)).toBe(0);
    expect(unexpected(consoleErrors(page))).toEqual([]);
  });

  test('the grid worker verifies on site what a department resolved in the grid', async () => {
    const dispatcher = await apiToken(doorstep.baseUrl, 'district-dispatcher');
    const handler = await apiToken(doorstep.baseUrl, 'dept-handler');
    const urban = await departmentId(doorstep.baseUrl, dispatcher, '城市管理');
    const appeal = await submitAppeal(doorstep.baseUrl, '移动端测试：路边井盖破损需要更换', grid);
    await act(doorstep.baseUrl, dispatcher, appeal.id, 'accept');
    await act(doorstep.baseUrl, dispatcher, appeal.id, 'dispatch', { orgId: urban });
    await act(doorstep.baseUrl, handler, appeal.id, 'claim');
    await act(doorstep.baseUrl, handler, appeal.id, 'resolve', { summary: '已更换新井盖' });

    const page = await residentPage(browser, doorstep.baseUrl, grid);
    await signIn(page);
    const item = page.locator(`[data-section="toVerify"] [data-appeal="${appeal.id}"]`);
    await item.waitFor(poll);
    await item.click();
    await page.locator('[data-action="verify"]').click();
    // The phone's position (the page stands at the grid's centre) is taken for the record.
    await expect.poll(() => page.getByTestId('m-position').innerText(), poll).toContain('已定位');
    await page.getByTestId('m-text').locator('textarea').fill('现场查看井盖已更换，盖板平稳');
    await page.getByTestId('m-submit').click();
    await expect.poll(() => page.getByTestId('m-status').innerText(), poll).toBe('已核实');
    const verified = (await serverView(appeal.id)).timeline.find((e) => e.action === 'appeal.verify');
    expect(verified?.data.position).toMatchObject({ lat: expect.closeTo(grid.lat, 4) });
    expect(verified?.data.distanceM).toBeTypeOf('number');
    // The 401 of the session probe before signing in is expected and answered; nothing else.
    expect(consoleErrors(page).filter((line) => !line.includes('401'))).toEqual([]);
  });

  test('a grid worker patrols, reports a finding with a photo while offline, and it reaches the desk', async () => {
    const page = await residentPage(browser, doorstep.baseUrl, grid);
    await signIn(page);
    await page.locator('[data-tab="patrol"]').click();
    await page.locator('[data-start="routine"]').click();
    await page.getByTestId('m-patrol-status').waitFor(poll);
    // Walking north through the grid: the page is fed three positions ~50 m apart.
    for (const step of [1, 2, 3]) {
      await page
        .context()
        .setGeolocation({ latitude: grid.lat + step * 0.00045, longitude: grid.lng, accuracy: 10 });
      // The first fix is where the patrol began; each move adds one.
      const fixes = async () =>
        Number(/已记录 (\d+)/.exec(await page.getByTestId('m-patrol-fixes').innerText())?.[1]);
      await expect.poll(fixes, poll).toBeGreaterThanOrEqual(step + 1);
    }
    expect(await horizontalOverflow(page)).toBe(0);
    await screenshot(page, 'm-5-patrol');

    // A blocked fire exit, found where there is no signal: reported with a photo, kept on the phone.
    await page.context().setOffline(true);
    await page.getByTestId('m-report').click();
    const finding = `巡查发现：${Date.now()} 号楼消防通道被电动车堵塞`;
    await page.getByTestId('m-report-text').locator('textarea').fill(finding);
    await page
      .getByTestId('m-photos')
      .locator('input[type=file]')
      .setInputFiles({ name: 'IMG_0003.jpg', mimeType: 'image/jpeg', buffer: await phonePhoto(1200, 900) });
    await page.getByTestId('m-photos').locator('.van-uploader__preview').waitFor(poll);
    await page.getByTestId('m-report-send').click();
    await expect.poll(() => page.getByTestId('m-queue').innerText(), poll).toContain('1 项操作待发送');
    await screenshot(page, 'm-6-finding-queued');

    // Back online: the finding and the track go by themselves.
    await page.context().setOffline(false);
    await expect.poll(() => page.getByTestId('m-queue').count(), poll).toBe(0);
    const dispatcher = await apiToken(doorstep.baseUrl, 'district-dispatcher');
    const found = (await (
      await fetch(`${doorstep.baseUrl}/api/v1/appeals?q=${encodeURIComponent(finding.slice(0, 18))}`, {
        headers: { authorization: `Bearer ${dispatcher}` },
      })
    ).json()) as { items: { id: string; channel: string }[] };
    expect(found.items).toHaveLength(1);
    expect(found.items[0]!.channel).toBe('patrol');
    const finding1 = await serverView(found.items[0]!.id);
    expect(finding1.attachments).toHaveLength(1);

    await page.getByTestId('m-finish').click();
    await page.locator('[data-start="routine"]').waitFor(poll);
    const today = new Intl.DateTimeFormat('sv-SE', { timeZone: 'Asia/Shanghai' }).format(new Date());
    const patrols = (await (
      await fetch(`${doorstep.baseUrl}/api/v1/patrols?date=${today}`, {
        headers: { authorization: `Bearer ${dispatcher}` },
      })
    ).json()) as { items: { status: string; track: unknown[]; distanceM: number | null }[] };
    const walked = patrols.items.find((p) => p.status === 'finished' && p.track.length >= 3);
    expect(walked?.distanceM).toBeGreaterThan(80);
    // The desk reads the finding with the walk that led to it.
    const withTrack = await serverView(found.items[0]!.id);
    expect(withTrack.patrol?.track.length).toBeGreaterThanOrEqual(3);
    expect(unexpected(consoleErrors(page))).toEqual([]);
  });

  test('a field role opening the desk console on a phone is offered the workbench', async () => {
    const page = await residentPage(browser, doorstep.baseUrl, grid);
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(`${doorstep.baseUrl}/console/`);
    await page.getByLabel('用户名').fill('grid-worker');
    await page.getByLabel('密码').fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: /登\s*录/ }).click();
    const offer = page.getByTestId('to-mobile');
    await offer.waitFor(poll);
    expect(await offer.getAttribute('href')).toBe('/m/');
    await offer.click();
    await page.getByTestId('m-inbox').waitFor(poll);
  });
});
