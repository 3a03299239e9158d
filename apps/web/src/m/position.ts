// Where the worker stands, for 现场核实: the browser's geolocation (GPS on a phone, which works
// without a data connection). A refusal or a timeout is not an error: the step goes without it.

export interface Position {
  lat: number;
  lng: number;
  accuracyM?: number;
}

export function locate(timeoutMs = 10_000): Promise<Position | null> {
  if (!('geolocation' in navigator)) return Promise.resolve(null);
  return new Promise((resolve) => {
    navigator.geolocation.getCurrentPosition(
      (p) =>
        resolve({
          lat: p.coords.latitude,
          lng: p.coords.longitude,
          accuracyM: Math.min(100_000, Math.round(p.coords.accuracy)),
        }),
      () => resolve(null),
      { enableHighAccuracy: true, timeout: timeoutMs, maximumAge: 60_000 },
    );
  });
}
