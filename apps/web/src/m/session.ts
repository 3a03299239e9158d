// The workbench's session: the same login, lockout and one-time-code rules as the console (the
// server applies them); the session is the httpOnly cookie the server sets.
import type { SessionUser } from '@doorstep/contracts';
import { reactive } from 'vue';
import { ApiError, createApiClient } from '../shared/api';
import { strings } from './strings';

export const session = reactive({
  status: 'checking' as 'checking' | 'signed-out' | 'signed-in',
  user: null as SessionUser | null,
  notice: '',
});

export const api = createApiClient({
  onUnauthorized: () => {
    if (session.status !== 'signed-in') return;
    session.status = 'signed-out';
    session.user = null;
    session.notice = strings.login.expired;
  },
});

export async function restoreSession(): Promise<void> {
  try {
    const { user } = await api.get<{ user: SessionUser }>('/auth/me', { ignoreUnauthorized: true });
    session.user = user;
    session.status = 'signed-in';
  } catch {
    session.status = 'signed-out';
  }
}

export async function login(username: string, password: string, otp: string): Promise<void> {
  const body: Record<string, string> = { username, password };
  if (otp.trim()) body.otp = otp.trim();
  const { user } = await api.post<{ user: SessionUser }>('/auth/login', body, { ignoreUnauthorized: true });
  session.user = user;
  session.status = 'signed-in';
  session.notice = '';
}

export async function logout(): Promise<void> {
  await api.post('/auth/logout', {}).catch(() => undefined);
  session.status = 'signed-out';
  session.user = null;
}

/** An error as a line the field worker can act on. */
export function messageOf(error: unknown): string {
  if (error instanceof ApiError) {
    if (error.status === 0) return strings.errors.network;
    if (error.code === 'invalid_credentials') return strings.login.failed;
    if (error.code === 'otp_required') return strings.login.otpRequired;
    return error.message || strings.errors.unknown;
  }
  return strings.errors.unknown;
}
