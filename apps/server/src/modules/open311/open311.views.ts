// The appeals module's public words, shared rather than copied, so the Open311 timeline and the
// resident's tracking page always say the same thing (stats reads appeals.types.ts the same way).

import { redactPersonalData } from '../../platform/text-redaction.ts';
import { PUBLIC_STEPS, STATUS_LABELS } from '../appeals/appeals.labels.ts';
import { FINAL_STATUSES } from '../appeals/appeals.types.ts';
import { chinaIso } from './open311.format.ts';
import type { FeedRow, StepRow } from './open311.repository.ts';
import type { Open311Request } from './open311.types.ts';

/** The journal actions that make up the public timeline. */
export const PUBLIC_ACTIONS = Object.keys(PUBLIC_STEPS);

/**
 * Channels whose text was written as a report of the problem itself — by the resident, or by a
 * grid worker describing the scene. Hotline, hall and import texts are an operator's notes about a
 * caller ("市民张先生来电反映…") and are not published; status and place still are.
 */
const DESCRIBED_CHANNELS = new Set(['h5', 'qr', 'open311', 'snapshot', 'patrol']);

/**
 * Free text is published only with the reporter's consent, and even then a resident may have typed
 * their number into it, and a handler's summary may name a phone: phone and ID numbers, e-mail
 * addresses, WeChat and QQ ids are blanked, however they are written, before any GET.
 */
export const scrub = redactPersonalData;

/**
 * The text as published: without the address line intake appended for the handler (a request
 * with only an address_string), since the typed address is exactly what is not published.
 */
function publicText(row: FeedRow): string {
  const typedAddress = row.addressString ? `\n地址：${row.addressString}` : null;
  const text =
    typedAddress && row.content.endsWith(typedAddress)
      ? row.content.slice(0, -typedAddress.length)
      : row.content;
  return scrub(text);
}

/** One public step in words, as the resident's timeline shows it. */
export function stepText(step: StepRow, mergedInto: string | null): string | null {
  // The appeals timeline names the surviving appeal's tracking code; that code also lets its
  // holder rate the case, so the open feed points to the request id instead.
  if (step.action === 'appeal.merge') {
    return mergedInto ? `已与同一事项合并办理，见 service_request_id ${mergedInto}` : '已与同一事项合并办理';
  }
  const shown = PUBLIC_STEPS[step.action]?.(step.data);
  if (!shown) return null;
  return scrub(shown.detail ? `${shown.label}：${shown.detail}` : shown.label);
}

/** What the reporter may expect, from the item's working-day limits. */
export function serviceNotice(acceptDays: number | null, finishDays: number | null): string | null {
  if (acceptDays === null || finishDays === null) return null;
  return `${acceptDays} 个工作日内受理，受理后 ${finishDays} 个工作日内办结（按法定工作日计算）。`;
}

export function toOpen311Request(
  row: FeedRow,
  steps: { latest: StepRow | undefined; all: StepRow[] | null },
): Open311Request {
  const closed = FINAL_STATUSES.includes(row.status);
  const request: Open311Request = {
    service_request_id: row.id,
    status: closed ? 'closed' : 'open',
    status_notes: steps.latest ? stepText(steps.latest, row.mergedInto) : null,
    service_name: row.categoryName,
    service_code: row.categoryCode,
    description: row.publicConsent && DESCRIBED_CHANNELS.has(row.channel) ? publicText(row) : null,
    agency_responsible: row.assignedOrgName,
    service_notice: serviceNotice(row.acceptDays, row.finishDays),
    requested_datetime: chinaIso(row.submittedAt),
    // "For requests with status=closed, this will be the date the request was closed."
    updated_datetime: chinaIso(closed ? (row.closedAt ?? row.updatedAt) : row.updatedAt),
    expected_datetime: row.finishDueAt ? chinaIso(row.finishDueAt) : null,
    // Never the address a resident typed (often their own door): the station, grid or area instead.
    address: row.placeName,
    address_id: row.addressId ?? row.stationCode,
    zipcode: null,
    lat: row.lat,
    long: row.lng,
    media_url: row.mediaUrl,
  };
  if (steps.all) {
    request.notes = steps.all.flatMap((step) => {
      const description = stepText(step, row.mergedInto);
      return description
        ? [{ datetime: chinaIso(new Date(step.at)), type: step.action.replace(/^appeal\./, ''), description }]
        : [];
    });
    request.extended_attributes = {
      channel: row.channel,
      detailed_status: row.status,
      detailed_status_label: STATUS_LABELS[row.status],
    };
  }
  return request;
}
