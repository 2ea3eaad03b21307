/**
 * The static risk analysis of a submitted n8n-style workflow. Pure data and functions: no
 * database and no Node-only API, so the renderer (or a worker) can run the same code.
 */

export const RISK_LEVELS = ['low', 'medium', 'high', 'critical'] as const
export type RiskLevel = (typeof RISK_LEVELS)[number]

export type FindingKind =
  | 'unreadable_workflow'
  | 'code_node'
  | 'code_network'
  | 'outbound_host'
  | 'unresolved_url'
  | 'credential_reference'
  | 'exposed_webhook'
  | 'trigger'
  | 'command_execution'
  | 'hardcoded_secret'
  | 'split_secret'
  | 'high_entropy_string'
  | 'fan_out'
  | 'loop'

export interface Finding {
  kind: FindingKind
  severity: RiskLevel
  /** The node the finding is about ('' only for unreadable_workflow): the panel links to it. */
  nodeId: string
  /** Where in the node, as a dotted parameter path ('' for the node itself). */
  path: string
  message: string
  /** What was found: a host, a credential type, code; never a whole secret (see maskSecret). */
  evidence?: string
}

/** One node as the analyzer reads it, whatever shape the export had. */
export interface WorkflowNode {
  id: string
  name: string
  type: string
  parameters: unknown
  credentials: Record<string, unknown>
}

export interface WorkflowEdge {
  from: string
  to: string
}

export interface Workflow {
  nodes: WorkflowNode[]
  edges: WorkflowEdge[]
}

export interface RiskReport {
  level: RiskLevel
  findings: Finding[]
  /** Every outbound host found, resolved from expressions where possible, sorted. */
  hosts: string[]
  stats: { nodes: number; edges: number; maxFanOut: number; largestLoop: number }
}
