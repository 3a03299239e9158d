export { DEMO_KINDS, demoCatalogRows, localPoliceItemCodes } from './catalog-data.ts';
export { demoResponsibilities, seedDemoCatalog } from './seed-demo-catalog.ts';
