export { type DemoDistrict, generateDemoDistrict } from './demo-district.ts';
