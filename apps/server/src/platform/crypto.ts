import { createCipheriv, createDecipheriv, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * Field encryption for personal data at rest: AES-256-GCM, stored as
 * `v1:<iv b64url>:<tag b64url>:<ciphertext b64url>`. The version prefix leaves room for key
 * rotation (a later `doorstep keys rotate`).
 */
export interface FieldCipher {
  encrypt(plain: string): string;
  decrypt(stored: string): string;
}

/**
 * `previousKeys`: keys being rotated out (DOORSTEP_DATA_KEY_PREVIOUS). While `doorstep keys rotate`
 * runs, values still under an old key are read with it; everything is written with `key`. GCM's
 * tag tells which key fits, so the stored format needs no key id.
 */
export function createFieldCipher(key: Buffer, previousKeys: readonly Buffer[] = []): FieldCipher {
  if (key.length !== 32) throw new Error('the data key must be 32 bytes');
  const current = singleKeyCipher(key);
  const older = previousKeys.map(singleKeyCipher);
  if (older.length === 0) return current;
  return {
    encrypt: current.encrypt,
    decrypt(stored) {
      try {
        return current.decrypt(stored);
      } catch (error) {
        for (const cipher of older) {
          try {
            return cipher.decrypt(stored);
          } catch {
            // not this one either
          }
        }
        throw error;
      }
    },
  };
}

function singleKeyCipher(key: Buffer): FieldCipher {
  if (key.length !== 32) throw new Error('the data key must be 32 bytes');
  return {
    encrypt(plain) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      return [
        'v1',
        iv.toString('base64url'),
        cipher.getAuthTag().toString('base64url'),
        body.toString('base64url'),
      ].join(':');
    },
    decrypt(stored) {
      const [version, iv, tag, body] = stored.split(':');
      if (version !== 'v1' || !iv || !tag || body === undefined) throw new Error('unknown ciphertext format');
      const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
      decipher.setAuthTag(Buffer.from(tag, 'base64url'));
      return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString(
        'utf8',
      );
    },
  };
}

export function hmacHex(secret: string, value: string): string {
  return createHmac('sha256', secret).update(value).digest('hex');
}

export function safeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

/** 138****1234 — lists never show a full phone number. */
export function maskPhone(phone: string | null | undefined): string | null {
  if (!phone) return null;
  const digits = phone.replace(/\s+/g, '');
  // A landline in its canonical form (0755-23456789[-802]) keeps its area code: 0755-****6789.
  const landline = /^(0\d{2,3})-(\d{7,8})(?:-\d+)?$/.exec(digits);
  if (landline) return `${landline[1]}-****${landline[2]!.slice(-4)}`;
  if (digits.length >= 7) return `${digits.slice(0, 3)}****${digits.slice(-4)}`;
  return '****';
}

/** 张** — keep the surname only. */
export function maskName(name: string | null | undefined): string | null {
  if (!name) return null;
  const chars = [...name];
  return chars[0] + '*'.repeat(Math.max(1, chars.length - 1));
}
