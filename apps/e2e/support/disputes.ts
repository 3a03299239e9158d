import { readFileSync } from 'node:fs';
import { apiToken } from './staff.ts';

/** A call to the API as a demo desk (the set-up a test then looks at in the browser). */
export async function callApi(baseUrl: string, token: string, method: string, path: string, body?: unknown) {
  const response = await fetch(`${baseUrl}/api/v1${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
  return response.json();
}

export interface DisputeParty {
  role: 'applicant' | 'respondent';
  kind: 'person' | 'organisation';
  name: string;
  phone?: string;
  idNumber?: string;
  creditCode?: string;
}

/**
 * A case registered at 光明社区's desk and mediated by its registered mediator up to an agreement
 * (one session in the community's room, then the terms): the state the parties' SMS codes go out in.
 */
export async function disputeUpToAgreement(
  baseUrl: string,
  registration: Record<string, unknown> & { parties: DisputeParty[] },
  mediation: { notes: string; terms: string; payments: { amount: number; dueDate: string }[] },
): Promise<{ id: string; caseNumber: string }> {
  const desk = await apiToken(baseUrl, 'community-worker');
  const mediator = await apiToken(baseUrl, 'mediator');
  const created = await callApi(baseUrl, desk, 'POST', '/disputes', registration);
  const act = (token: string, action: string, body: unknown = {}) =>
    callApi(baseUrl, token, 'POST', `/disputes/${created.id}/actions/${action}`, body);
  await act(desk, 'accept');
  const { items } = await callApi(baseUrl, desk, 'GET', '/mediators');
  await act(desk, 'assign', {
    mediatorId: items.find((m: { kind: string }) => m.kind === 'mediator').userId,
  });
  const session = await act(mediator, 'schedule-session', {
    startsAt: new Date(Date.now() + 3600_000).toISOString(),
    place: '光明社区人民调解室',
    online: false,
  });
  await act(mediator, 'record-session', {
    sessionId: session.sessions[0].id,
    outcome: 'agreed',
    notes: mediation.notes,
  });
  await act(mediator, 'agree', { terms: mediation.terms, payments: mediation.payments });
  return { id: created.id, caseNumber: created.caseNumber };
}

/** The SMS a phone received, read from the local gateway's file (DOORSTEP_SMS_FILE): the demo's handset. */
export function smsTo(file: string, phone: string, template: string): string[] {
  let text = '';
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return [];
  }
  return text
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as { to: string; template: string; body: string })
    .filter((m) => m.to === phone && m.template === template)
    .map((m) => m.body);
}

/**
 * The last code of a kind a phone received. Messages reach the file through the delivery job, a
 * moment after the action that sent them: waits up to `timeoutMs` (usable in a beforeAll too).
 */
export async function smsCode(
  file: string,
  phone: string,
  template: string,
  pattern: RegExp,
  timeoutMs = 30_000,
): Promise<string> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const body = smsTo(file, phone, template).at(-1);
    const found = body && pattern.exec(body)?.[1];
    if (found) return found;
    if (Date.now() > until) throw new Error(`no ${template} SMS to ${phone} with ${pattern} in ${file}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
