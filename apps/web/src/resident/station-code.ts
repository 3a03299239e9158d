// The server serves this page for /q/{stationCode}: the link printed in a station's QR code (信访解忧码).

export type QrLanding = { kind: 'none' } | { kind: 'station'; stationCode: string } | { kind: 'invalid' };

// Station codes are short identifiers; anything else is a damaged or forged link.
const stationCodePattern = /^[A-Za-z0-9_-]{1,64}$/;

export function readQrLanding(pathname: string): QrLanding {
  const match = /^\/q\/([^/]*)\/?$/.exec(pathname);
  if (!match) return pathname.startsWith('/q/') ? { kind: 'invalid' } : { kind: 'none' };
  let code: string;
  try {
    code = decodeURIComponent(match[1] ?? '');
  } catch {
    return { kind: 'invalid' };
  }
  return stationCodePattern.test(code) ? { kind: 'station', stationCode: code } : { kind: 'invalid' };
}
