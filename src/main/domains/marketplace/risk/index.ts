export { analyzeWorkflow } from './analyze'
export { diffWorkflows, type NodeRef, type ParameterChange, type WorkflowDiff } from './diff'
export { RISK_LEVELS, type Finding, type FindingKind, type RiskLevel, type RiskReport } from './types'
