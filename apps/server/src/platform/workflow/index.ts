export { refuseAccusedUnit, withinAccusedUnit } from './accused.ts';
export { type DeadlineDeps, scheduleDeadline, WARNING_SHARE } from './deadlines.ts';
export {
  type ActOptions,
  actThenRead,
  createWorkflow,
  type EffectContext,
  type EffectResult,
  type WorkflowSpec,
} from './engine.ts';
export {
  availableActions,
  isAction,
  type Machine,
  permits,
  type Rule,
  roleMayTake,
  unknownAction,
  type WorkflowRecord,
} from './machine.ts';
