import { maskTrackingCode } from '@doorstep/contracts/vocabulary';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { launchBrowser } from './support/browser.ts';
import { type RunningDoorstep, startDoorstep } from './support/doorstep.ts';
import {
  agreeAndSubmit,
  consoleErrors,
  horizontalOverflow,
  marker,
  type NearbyStation,
  type Point,
  phonePhoto,
  residentPage,
  screenshot,
  staffApi,
  stationsNear,
} from './support/resident.ts';

let doorstep: RunningDoorstep;
let browser: Browser;
/** A grid station of the demo district, and a spot about 170 m north of it. */
let station: NearbyStation;
let nearStation: Point;

// Generous: the server loads the demo district before it answers, slow on a busy machine.
beforeAll(async () => {
  [doorstep, browser] = await Promise.all([startDoorstep(), launchBrowser()]);
  const [first] = await stationsNear(doorstep.baseUrl, { lat: 22.7687, lng: 113.9357 }, 5000);
  if (!first) throw new Error('the demo district has no station near its centre');
  station = first;
  nearStation = { lat: station.location.lat + 0.0015, lng: station.location.lng };
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await doorstep?.stop();
});

const bodyText = (page: Page) => page.locator('body').innerText();

async function chooseCategory(page: Page, search: string, name: string) {
  await page.getByTestId('category-field').click();
  await page.getByPlaceholder('搜索，如：噪音、井盖、路灯').fill(search);
  await page.getByTestId('category-results').getByText(name, { exact: true }).click();
}

describe('the resident H5 on a 360 px phone', () => {
  test('a resident reports a missing manhole cover with a photo and a pin, keeps the code and sees 已提交', async () => {
    const page = await residentPage(browser, doorstep.baseUrl, nearStation);
    await page.goto(`${doorstep.baseUrl}/`);
    await page.getByRole('link', { name: /我要反映/ }).click();

    await chooseCategory(page, '井盖', '井盖缺失/破损');
    await page.getByRole('radio', { name: '污水' }).click();
    const text = `${marker()} 光明大道路口井盖缺失，晚上很危险`;
    await page.getByPlaceholder(/请说明发生了什么/).fill(text);
    expect(await bodyText(page)).toContain(`${[...text].length}/5000`);

    // The phone allowed geolocation: the pin is where the resident stands.
    const pin = page.getByTestId('pin-text');
    await expect.poll(() => pin.getAttribute('data-lat')).toBe(String(nearStation.lat));
    // Tapping the map moves it.
    const map = page.getByRole('region', { name: '发生位置' });
    const box = (await map.boundingBox())!;
    await map.click({ position: { x: box.width / 2 + 40, y: box.height / 2 + 30 } });
    await expect.poll(() => pin.getAttribute('data-lat')).not.toBe(String(nearStation.lat));
    const pinned = {
      lat: Number(await pin.getAttribute('data-lat')),
      lng: Number(await pin.getAttribute('data-lng')),
    };

    // A 3000×2000 phone photo is compressed in the browser before it travels.
    const photo = await phonePhoto();
    const uploaded = page.waitForResponse((r) => r.url().endsWith('/api/v1/uploads') && r.status() === 201, {
      timeout: 60_000,
    });
    await page
      .locator('input[type=file]')
      .setInputFiles({ name: 'IMG_0001.jpg', mimeType: 'image/jpeg', buffer: photo });
    const upload = await uploaded;
    expect((await upload.request().sizes()).requestBodySize).toBeLessThan(photo.length / 2);
    // The server only shrinks to 4096 px: a photo at most 1920 px wide was shrunk by the page.
    expect(((await upload.json()) as { width: number }).width).toBeLessThanOrEqual(1920);

    await page.getByPlaceholder('怎么称呼您（选填）').fill('张三');
    await page.getByPlaceholder('便于工作人员回访（选填）').fill('13812341234');
    expect(await horizontalOverflow(page)).toBe(0);
    await screenshot(page, 'resident-submit');

    await agreeAndSubmit(page);
    const code = page.getByTestId('tracking-code');
    await code.waitFor({ timeout: 15_000 });
    const trackingCode = await code.innerText();
    expect(trackingCode).toMatch(/^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{2}$/);
    await expect
      .poll(() =>
        page
          .getByRole('img', { name: new RegExp(trackingCode) })
          .locator('svg')
          .count(),
      )
      .toBe(1);
    expect(await horizontalOverflow(page)).toBe(0);
    await screenshot(page, 'resident-receipt');

    // What the staff see is what the resident entered.
    const staff = await staffApi(doorstep.baseUrl);
    const [summary] = await staff.appealsMatching(text.slice(0, 11));
    const detail = await staff.appeal(String(summary!.id));
    expect(detail).toMatchObject({
      trackingCode: maskTrackingCode(trackingCode),
      channel: 'h5',
      category: { code: 'SP-SZ-001' },
      content: text,
      attributes: { cover_type: 'sewage' },
      location: { lat: pinned.lat, lng: pinned.lng },
      contact: { name: '张*' },
    });
    expect(detail.attachments).toHaveLength(1);

    await page.getByRole('button', { name: '查看办理进度' }).click();
    await expect.poll(() => page.getByTestId('status').innerText()).toBe('已提交');
    expect(await bodyText(page)).toContain('已上传 1 张照片');
    expect(new URL(page.url()).pathname).toBe(`/track/${trackingCode}`);
    expect(await horizontalOverflow(page)).toBe(0);

    // The code typed by hand, in lower case without dashes, finds the same appeal.
    await page.goto(`${doorstep.baseUrl}/track`);
    await page.getByLabel('查询码').fill(trackingCode.replaceAll('-', '').toLowerCase());
    await page.getByRole('button', { name: '查询' }).click();
    await expect.poll(() => page.getByTestId('status').innerText()).toBe('已提交');
    expect(consoleErrors(page)).toEqual([]);
  }, 90_000);

  test('once the department has resolved it, the resident sees 已办结 in plain words and rates it', async () => {
    const page = await residentPage(browser, doorstep.baseUrl, nearStation);
    await page.goto(`${doorstep.baseUrl}/report`);
    await chooseCategory(page, '路灯', '路灯不亮/损坏');
    const text = `${marker()} 小区东门路灯一直不亮，晚上很黑`;
    await page.getByPlaceholder(/请说明发生了什么/).fill(text);
    await agreeAndSubmit(page);
    const trackingCode = await page.getByTestId('tracking-code').innerText({ timeout: 15_000 });
    // The receipt gives the 评价码; this phone keeps it, so the resident does not type it to rate.
    const ratingToken = await page.getByTestId('rating-token').innerText();
    expect(ratingToken).toMatch(/^[0-9A-Z]{4}-[0-9A-Z]{4}$/);

    // The district dispatcher sends it to 城管, whose handler fixes the lamp.
    const dispatcher = await staffApi(doorstep.baseUrl);
    const handler = await staffApi(doorstep.baseUrl, 'dept-handler');
    const [summary] = await dispatcher.appealsMatching(text.slice(0, 11));
    const id = String(summary!.id);
    const accepted = await dispatcher.act(id, 'accept');
    const { items } = await dispatcher.get<{ items: { id: number }[] }>(
      `/orgs?level=department&q=${encodeURIComponent('城市管理')}`,
    );
    await dispatcher.act(id, 'dispatch', { orgId: items[0]!.id }, accepted.version as number);
    await handler.act(id, 'claim');
    const resultPhoto = await handler.upload(await phonePhoto(800, 600), 'lamp-fixed.jpg');
    await handler.act(id, 'resolve', { summary: '已更换灯泡，路灯恢复照明', attachments: [resultPhoto] });

    await page.getByRole('button', { name: '查看办理进度' }).click();
    await expect.poll(() => page.getByTestId('status').innerText()).toBe('已办结');
    // The handler's result photo shows, loaded (not a broken image), and opens large.
    const thumb = page.getByTestId('result-photos').locator('img');
    await expect
      .poll(() => thumb.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth), {
        timeout: 15_000,
      })
      .toBeGreaterThan(0);
    await page.getByRole('button', { name: '查看第 1 张办结照片' }).click();
    await page.locator('.van-image-preview').waitFor();
    await screenshot(page, 'resident-track-result-photo');
    await page.locator('.van-image-preview__close-icon').click();
    const result = await page.getByTestId('track-result').innerText();
    for (const step of ['已提交', '已受理', '已派单', '处理中', '已办结', '已更换灯泡，路灯恢复照明']) {
      expect(result).toContain(step);
    }
    const rating = page.getByTestId('rating');
    expect(await rating.getByTestId('rating-token-input').count()).toBe(0);
    await rating.getByText('基本满意', { exact: true }).click();
    await rating.getByPlaceholder('选填，最多 500 字').fill('修得挺快，希望定期巡查');
    await rating.getByRole('button', { name: '提交评价' }).click();
    await expect.poll(() => page.getByTestId('rated').innerText()).toBe('您的评价：基本满意');
    expect(await horizontalOverflow(page)).toBe(0);
    await screenshot(page, 'resident-track-rated');

    const detail = await dispatcher.appeal(id);
    // Staff see the code masked and never the 评价码 the phone kept and rated with.
    expect(detail).toMatchObject({
      trackingCode: maskTrackingCode(trackingCode),
      rating: 'basically_satisfied',
    });
    expect(JSON.stringify(detail)).not.toContain(ratingToken);
    expect(consoleErrors(page)).toEqual([]);
  }, 60_000);

  test('the QR code on a lamp post opens the form with its station chosen and sends the appeal there', async () => {
    const page = await residentPage(browser, doorstep.baseUrl, nearStation);
    await page.goto(`${doorstep.baseUrl}/q/${station.code}`);
    await expect.poll(() => page.getByTestId('station-banner').innerText()).toContain(station.name);
    expect(await page.getByTestId('station-banner').innerText()).toContain('信访解忧码');

    await page.getByTestId('category-field').click();
    await page.getByRole('button', { name: '违规停车', exact: true }).click();
    const text = `${marker()} 小区门口长期有车辆违规停放，堵住消防通道`;
    await page.getByPlaceholder(/请说明发生了什么/).fill(text);
    await page.getByRole('switch', { name: '匿名反映' }).click();
    await agreeAndSubmit(page);
    await page.getByTestId('tracking-code').waitFor({ timeout: 15_000 });

    const staff = await staffApi(doorstep.baseUrl);
    const [summary] = await staff.appealsMatching(text.slice(0, 11));
    expect(summary).toMatchObject({
      channel: 'qr',
      anonymous: true,
      contact: null,
      area: { name: station.name },
      category: { code: 'SP-SR-004' },
    });
  }, 60_000);

  test('nearest stations are listed with distance, opening hours and services, nearest first', async () => {
    const page = await residentPage(browser, doorstep.baseUrl, nearStation);
    await page.goto(`${doorstep.baseUrl}/nearby`);
    const list = page.getByTestId('station-list');
    await list.locator('li').first().waitFor();
    const expected = await stationsNear(doorstep.baseUrl, nearStation);
    expect(expected.length).toBeGreaterThan(0);
    const names = await list.locator('h2').allInnerTexts();
    expect(names).toEqual(expected.map((s) => s.name));
    const distances = await list.getByTestId('station-distance').allInnerTexts();
    expect(distances).toEqual(expected.map((s) => `${s.distanceM} 米`));
    const first = await list.locator('li').first().innerText();
    if (expected[0]!.openingHours) expect(first).toContain(expected[0]!.openingHours);
    for (const service of expected[0]!.services) expect(first).toContain(service);
    expect(await horizontalOverflow(page)).toBe(0);
    await screenshot(page, 'resident-nearby');

    // 到这里反映 opens the form with that station chosen.
    await list.getByRole('button', { name: '到这里反映' }).first().click();
    await expect.poll(() => page.getByTestId('station-banner').innerText()).toContain(expected[0]!.name);
    expect(consoleErrors(page)).toEqual([]);
  }, 60_000);

  test('no page is wider than a 360 px phone', async () => {
    const page = await residentPage(browser, doorstep.baseUrl, nearStation);
    for (const route of ['/', '/report', '/track', '/nearby', `/q/${station.code}`, '/q/%E0%A4%A']) {
      await page.goto(`${doorstep.baseUrl}${route}`);
      await page.waitForLoadState('networkidle');
      expect({ route, overflow: await horizontalOverflow(page) }).toEqual({ route, overflow: 0 });
    }
  }, 60_000);
});
