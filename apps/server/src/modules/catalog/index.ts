export { type Answer, type AnswerCheck, checkAnswers } from './catalog.answers.ts';
export { catalogPolicies } from './catalog.policy.ts';
export { catalogRoutes } from './catalog.routes.ts';
export {
  type CatalogService,
  type CategoryView,
  createCatalogService,
  type ResponsibleDepartment,
} from './catalog.service.ts';
export * from './catalog.types.ts';
