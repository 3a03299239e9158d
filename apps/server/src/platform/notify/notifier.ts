import { appendFile } from 'node:fs/promises';
import type { Queryable } from '../../db/db.ts';

export type ResidentChannel = 'sms' | 'wechat';

export interface ResidentMessage {
  /** The appeal the message is about; or, for a party to a dispute case, `disputeId`. */
  appealId?: string;
  disputeId?: string;
  channel: ResidentChannel;
  /** The resident's phone number in clear: the caller decrypts it; it is encrypted again at rest. */
  to: string;
  /** A key of RESIDENT_TEMPLATES (templates.ts), e.g. 'appeal.accepted'; another name throws. */
  template: string;
  /** Every `{name}` of the template, as display text; a missing or unknown one throws. */
  params: Record<string, string>;
}

/**
 * Tells a resident about their appeal. `send` writes the message inside the caller's transaction:
 * it goes out only if that transaction commits, and a rollback leaves no trace. Delivery happens
 * later, in the background (job `notify.deliver`), so a slow gateway never holds up a transition.
 */
export interface ResidentNotifier {
  send(tx: Queryable, message: ResidentMessage): Promise<void>;
}

/** What a gateway is asked to deliver: the rendered text and, for template-based SMS APIs, its parts. */
export interface OutboundMessage {
  /** Our message id: a gateway that accepts a caller reference (OutId) can drop a retried duplicate. */
  id: string;
  channel: ResidentChannel;
  to: string;
  template: string;
  params: Record<string, string>;
  body: string;
}

/**
 * The outside boundary: an SMS provider (阿里云短信, 腾讯云短信…) or a WeChat service account.
 * `deliver` resolves once the provider has accepted the message and rejects when it refused or
 * could not be reached (the job then retries with backoff). A real adapter must bound its own
 * network time: it runs inside the job's database transaction.
 */
export interface MessageGateway {
  readonly name: string;
  deliver(message: OutboundMessage): Promise<{ ref: string | null }>;
}

/**
 * The local gateway: nothing leaves the machine, the outbox is the record. Messages are marked
 * sent, and an operator reads them in the outbox list (GET /api/v1/outbox), codes masked. With
 * DOORSTEP_SMS_FILE each message is also appended to that file as it would reach the phone — a
 * demo's stand-in for the handset (the 查询码 and 确认码 a party types), readable by its owner only.
 */
export function createLocalGateway(file: string | null = null): MessageGateway {
  return {
    name: 'local',
    async deliver(message) {
      if (file) {
        const line = { at: new Date().toISOString(), id: message.id, to: message.to, body: message.body };
        await appendFile(file, `${JSON.stringify({ ...line, template: message.template })}\n`, {
          mode: 0o600,
        });
      }
      return { ref: null };
    },
  };
}
