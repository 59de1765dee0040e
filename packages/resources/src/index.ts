export * from './types.ts';
export * from './registry.ts';
export { ageColumn, field, labelsColumn, nameColumn, namespaceColumn } from './columns.ts';
export { podContainers, podReady, podRestarts, podStatus } from './pod-status.ts';
export { compareCells, matchesFieldSelector, parseFieldSelector } from './query.ts';
export {
  matchesLabelSelector,
  parseLabelSelector,
  type LabelOperator,
  type LabelRequirement,
} from './labels.ts';
