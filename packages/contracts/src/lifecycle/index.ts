export * from './states.js';
export { initialState, progressChain, type LifecycleParcel } from './parcel.js';
export {
  actorRoleSchema,
  actorSchema,
  parcelFactSchema,
  scanKinds,
  scanKindSchema,
  type Actor,
  type ActorRole,
  type FactKind,
  type ParcelFact,
  type ScanKind,
} from './facts.js';
export * from './events.js';
export {
  factKinds,
  factKindSchema,
  lifecycleStepOf,
  parcelEventTypeOf,
  transitionTable,
  type FactEffect,
  type FactRule,
} from './table.js';
export * from './timeline.js';
export * from './scan.js';
export { deriveParcel, type DerivedParcel } from './derive.js';
export { decideFact, type DecisionKind, type FactDecision } from './decide.js';
export { factNamesZh, rejectionCodes, type FactRejection, type RejectionCode } from './rejections.js';
