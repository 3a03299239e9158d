// leaflet.heat ships no types: it is a plain script that adds `L.heatLayer` to the global Leaflet
// object (see ScreenMap.vue, which reads it from there with its own narrow type).
declare module 'leaflet.heat';
