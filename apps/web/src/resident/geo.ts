// The phone's position, when the resident allows it. Browsers report WGS-84, which is what the API
// expects: nothing is converted here (see shared/map.ts for drawing on GCJ-02 tiles).
import type { LatLng } from '../shared/map';

export function locate(timeoutMs = 10_000): Promise<LatLng> {
  return new Promise((resolve, reject) => {
    // Absent on plain-HTTP pages in most browsers: the caller falls back to the map and address.
    if (!('geolocation' in navigator)) {
      reject(new Error('geolocation unavailable'));
      return;
    }
    navigator.geolocation.getCurrentPosition(
      (position) => resolve({ lat: position.coords.latitude, lng: position.coords.longitude }),
      (error) => reject(new Error(error.message || 'geolocation failed')),
      { enableHighAccuracy: true, timeout: timeoutMs, maximumAge: 60_000 },
    );
  });
}

/** 6 decimals ≈ 0.1 m: more digits only look precise. */
export function roundPoint(point: LatLng): LatLng {
  const round = (value: number) => Math.round(value * 1e6) / 1e6;
  return { lat: round(point.lat), lng: round(point.lng) };
}
