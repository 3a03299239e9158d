// The signed-in staff member, and the calls that change who that is. The session itself is an
// httpOnly cookie: the console only learns whether it is valid by asking the API.
import type { LoginInput, LoginResult, SessionUser } from '@doorstep/contracts';
import { reactive } from 'vue';
import { ApiError, clientErrorCodes, createApiClient } from '../shared/api';
import { strings } from './strings';

export type { LoginInput, SessionUser };

type SessionStatus = 'checking' | 'signed-out' | 'signed-in';

export const session = reactive({
  status: 'checking' as SessionStatus,
  user: null as SessionUser | null,
  /** Shown on the login page: why the user is there (expired, logged out). */
  notice: '',
});

export const api = createApiClient({
  // Any 401 outside login means the server ended the session (idle timeout, revoked, expired).
  onUnauthorized: () => endSession(strings.login.sessionExpired),
});

function endSession(notice: string) {
  // A late 401 from a request sent before logout must not claim the session "expired".
  if (session.status !== 'signed-in') return;
  session.status = 'signed-out';
  session.user = null;
  session.notice = notice;
}

/** On start: is there still a valid session cookie? */
export async function restoreSession(): Promise<void> {
  try {
    const { user } = await api.get<{ user: SessionUser }>('/auth/me', { ignoreUnauthorized: true });
    session.user = user;
    session.status = 'signed-in';
  } catch {
    // 401 = not signed in; anything else (offline, 5xx) also starts at the login page.
    session.status = 'signed-out';
  }
}

/** Re-checks the session after the user has been idle; a 401 sends them to the login page. */
export async function checkSession(): Promise<void> {
  if (session.status !== 'signed-in') return;
  try {
    const { user } = await api.get<{ user: SessionUser }>('/auth/me');
    session.user = user;
  } catch {
    // 401 is handled by onUnauthorized; a network blip leaves the page as it is.
  }
}

/**
 * Where to go after signing in when another app sent the user here (`/console/?next=/screen/`):
 * only the big screen, a path of this site — never a URL from the query (no open redirect).
 */
export function returnTarget(search = window.location.search): string | null {
  const next = new URLSearchParams(search).get('next');
  return next !== null && /^\/screen\/(?:[A-Za-z0-9_-]+\/?)*$/.test(next) ? next : null;
}

/** Rejects with an ApiError; turn it into text with loginErrorMessage. */
export async function login(input: LoginInput): Promise<void> {
  const body: LoginInput = { username: input.username, password: input.password };
  if (input.otp) body.otp = input.otp;
  const { user } = await api.post<LoginResult>('/auth/login', body, { ignoreUnauthorized: true });
  const target = returnTarget();
  if (target && !user.mustChangePassword) {
    window.location.assign(target);
    return;
  }
  session.user = user;
  session.status = 'signed-in';
  session.notice = '';
}

/** Replaces the password; the server keeps this session, so the user goes on where they are. */
export async function changePassword(currentPassword: string, newPassword: string): Promise<void> {
  await api.post('/auth/password', { currentPassword, newPassword });
  const { user } = await api.get<{ user: SessionUser }>('/auth/me');
  session.user = user;
}

export function passwordErrorMessage(error: unknown): string {
  if (!(error instanceof ApiError)) return strings.errors.unknown;
  if (error.code === 'invalid_credentials') return strings.passwordChange.wrongCurrent;
  if (error.code === 'weak_password') return strings.passwordChange.weak(weakReason(error.message));
  return loginErrorMessage(error);
}

/** The server's reason in Chinese: its message names the rule in English words. */
function weakReason(message: string): string {
  if (/keyboard/.test(message)) return '键盘连续按键';
  if (/pinyin/.test(message)) return '姓名或地名拼音加数字';
  if (/leaked/.test(message)) return '与泄露过的常见密码相似';
  if (/differ/.test(message)) return '不能与当前密码相同';
  if (/three/.test(message)) return '须含大写字母、小写字母、数字、符号中的三种';
  if (/at least/.test(message)) return '至少 10 位';
  return '请换一个';
}

export async function logout(): Promise<void> {
  try {
    await api.post<void>('/auth/logout', undefined, { ignoreUnauthorized: true });
  } catch {
    // Already expired or offline: the user still leaves; the server drops the session on its own.
  }
  endSession(strings.login.loggedOut);
}

export function loginErrorMessage(error: unknown): string {
  if (!(error instanceof ApiError)) return strings.errors.unknown;
  const messages = strings.loginErrors;
  switch (error.code) {
    case 'invalid_credentials':
      return messages.invalidCredentials;
    case 'validation_failed':
      return messages.validationFailed;
  }
  if (error.status === 401) return messages.invalidCredentials;
  if (error.status === 429) return messages.tooManyRequests;
  return requestErrorMessage(error);
}

/** Text for failures any call can end in (network, timeout, server down). */
export function requestErrorMessage(error: unknown): string {
  if (!(error instanceof ApiError)) return strings.errors.unknown;
  if (error.code === clientErrorCodes.network) return strings.errors.network;
  if (error.code === clientErrorCodes.timeout) return strings.errors.timeout;
  if (error.status >= 500) return strings.errors.server;
  return strings.errors.unknown;
}
