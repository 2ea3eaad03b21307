import { codeStrings, resolveParameter } from './expressions'
import { graphShape } from './graph'
import { hostsIn, isIpLiteral } from './hosts'
import { findKnownSecret, findSplitSecret, highEntropyToken, maskSecret, SECRET_NAME } from './secrets'
import { RISK_LEVELS, type Finding, type RiskLevel, type RiskReport, type WorkflowNode } from './types'
import { readWorkflow, stringLeaves, type StringLeaf } from './workflow'

const CODE_PARAMETERS = new Set(['jsCode', 'pythonCode', 'functionCode', 'code'])
const COMMAND_TYPES = /(executeCommand|\.ssh$)/i
const CODE_NETWORK = /\b(fetch|axios|XMLHttpRequest|WebSocket|\$http|helpers\.(?:httpRequest|request)\w*|require\(\s*['"](?:https?|net|tls|dgram|axios|node-fetch|request|got)['"]\s*\))/
const CODE_COMMAND = /\b(child_process|execSync|spawnSync|subprocess|os\.system)\b/
const FAN_OUT = { medium: 10, high: 50 }
const LARGE_LOOP = 20
const MAX_CODE = 20_000

function worst(findings: readonly Finding[]): RiskLevel {
  let level = 0
  for (const f of findings) level = Math.max(level, RISK_LEVELS.indexOf(f.severity))
  return RISK_LEVELS[level]!
}

/** The last path segment, or for n8n's {name, value} pairs (headers, query), the pair's name. */
function parameterName(parameters: unknown, path: string): string {
  const parts = path.split('.')
  const last = parts[parts.length - 1] ?? ''
  if (last !== 'value') return last
  let holder: unknown = parameters
  for (const part of parts.slice(0, -1)) holder = typeof holder === 'object' && holder !== null ? (holder as Record<string, unknown>)[part] : undefined
  const name = typeof holder === 'object' && holder !== null ? (holder as Record<string, unknown>).name : undefined
  return typeof name === 'string' ? name : last
}

function analyzeStrings(node: WorkflowNode, leaves: StringLeaf[], findings: Finding[], hosts: Set<string>): void {
  const add = (f: Omit<Finding, 'nodeId'>) => findings.push({ nodeId: node.id, ...f })
  const nodeHosts = new Set<string>()
  const isHttp = /httpRequest$/i.test(node.type)
  for (const leaf of leaves) {
    const name = parameterName(node.parameters, leaf.path)
    const isCode = CODE_PARAMETERS.has(name)
    const resolved = resolveParameter(leaf.value)
    const pieces = isCode ? codeStrings(leaf.value) : [{ value: resolved.text, built: resolved.built }]

    if (isCode) {
      add({ kind: 'code_node', severity: 'medium', path: leaf.path, message: 'Runs custom code', evidence: leaf.value.slice(0, MAX_CODE) })
      const network = CODE_NETWORK.exec(leaf.value)
      if (network) add({ kind: 'code_network', severity: 'high', path: leaf.path, message: `Code makes network calls (${network[1]})`, evidence: network[1] })
      const command = CODE_COMMAND.exec(leaf.value)
      if (command) add({ kind: 'command_execution', severity: 'critical', path: leaf.path, message: `Code runs system commands (${command[1]})`, evidence: command[1] })
    } else if (isHttp && name === 'url' && !resolved.complete && hostsIn(resolved.text).length === 0) {
      add({ kind: 'unresolved_url', severity: 'medium', path: leaf.path, message: 'The request URL is decided at run time', evidence: leaf.value.slice(0, 500) })
    }

    for (const piece of pieces) {
      for (const host of hostsIn(piece.value)) {
        hosts.add(host)
        if (nodeHosts.has(host)) continue
        nodeHosts.add(host)
        const hidden = piece.built && !leaf.value.toLowerCase().includes(host)
        add({
          kind: 'outbound_host',
          // Code decides at run time what it sends, so its hosts count more than a configured URL.
          severity: hidden ? 'high' : isIpLiteral(host) || isCode ? 'medium' : 'low',
          path: leaf.path,
          message: hidden ? `Calls ${host}, a host assembled so that it does not appear as written` : `Calls ${host}`,
          evidence: host
        })
      }
      const known = findKnownSecret(piece.value)
      if (known) {
        const secret = piece.value.slice(known.start, known.end)
        add({
          kind: 'hardcoded_secret',
          severity: 'critical',
          path: leaf.path,
          message: piece.built ? `A ${known.name} assembled from pieces` : `A hard-coded ${known.name}`,
          evidence: maskSecret(secret)
        })
        continue
      }
      if (!isCode && !leaf.value.startsWith('=') && SECRET_NAME.test(name) && piece.value.trim().length >= 8) {
        add({ kind: 'hardcoded_secret', severity: 'critical', path: leaf.path, message: `A literal value for "${name}"`, evidence: maskSecret(piece.value.trim()) })
        continue
      }
      const random = highEntropyToken(piece.value)
      if (random) add({ kind: 'high_entropy_string', severity: 'medium', path: leaf.path, message: 'A random-looking string, possibly a key', evidence: maskSecret(random) })
    }
  }

  const split = findSplitSecret(leaves.map((l) => resolveParameter(l.value).text))
  if (split) {
    add({
      kind: 'split_secret',
      severity: 'critical',
      path: `${leaves[split.first]!.path} + ${leaves[split.second]!.path}`,
      message: `A ${split.match.name} split across two parameters`
    })
  }
}

function analyzeNode(node: WorkflowNode, findings: Finding[], hosts: Set<string>): void {
  const add = (f: Omit<Finding, 'nodeId'>) => findings.push({ nodeId: node.id, ...f })
  const type = node.type
  if (COMMAND_TYPES.test(type)) add({ kind: 'command_execution', severity: 'critical', path: '', message: `Runs system commands (${type})`, evidence: type })
  if (/webhook/i.test(type)) {
    const params = (typeof node.parameters === 'object' && node.parameters !== null ? node.parameters : {}) as Record<string, unknown>
    const open = params.authentication === undefined || params.authentication === 'none'
    add({
      kind: 'exposed_webhook',
      severity: open ? 'medium' : 'low',
      path: '',
      message: open ? 'Exposes a webhook anyone can call' : 'Exposes an authenticated webhook',
      evidence: typeof params.path === 'string' ? params.path : type
    })
  } else if (/trigger$/i.test(type)) {
    add({ kind: 'trigger', severity: 'low', path: '', message: `Starts on ${type}`, evidence: type })
  }
  for (const [kind, ref] of Object.entries(node.credentials)) {
    const name = typeof ref === 'object' && ref !== null && typeof (ref as { name?: unknown }).name === 'string' ? (ref as { name: string }).name : ''
    add({ kind: 'credential_reference', severity: 'low', path: `credentials.${kind}`, message: `Uses the buyer's ${kind} credential`, evidence: name || kind })
  }
  analyzeStrings(node, stringLeaves(node.parameters), findings, hosts)
}

/** The static risk analysis of a workflow export. Never throws: unreadable input is itself a finding. */
export function analyzeWorkflow(input: unknown): RiskReport {
  const workflow = readWorkflow(input)
  if (!workflow) {
    const findings: Finding[] = [{ kind: 'unreadable_workflow', severity: 'high', nodeId: '', path: '', message: 'Not a workflow export (no list of nodes)' }]
    return { level: 'high', findings, hosts: [], stats: { nodes: 0, edges: 0, maxFanOut: 0, largestLoop: 0 } }
  }
  const findings: Finding[] = []
  const hosts = new Set<string>()
  for (const node of workflow.nodes) analyzeNode(node, findings, hosts)

  const shape = graphShape(workflow)
  let maxFanOut = 0
  for (const [id, fan] of shape.fanOut) {
    maxFanOut = Math.max(maxFanOut, fan)
    if (fan > FAN_OUT.medium) {
      findings.push({ kind: 'fan_out', severity: fan > FAN_OUT.high ? 'high' : 'medium', nodeId: id, path: '', message: `Sends its output to ${fan} nodes`, evidence: String(fan) })
    }
  }
  for (const loop of shape.loops) {
    findings.push({
      kind: 'loop',
      severity: loop.length >= LARGE_LOOP ? 'medium' : 'low',
      nodeId: loop[0]!,
      path: '',
      message: `Part of a loop of ${loop.length} node${loop.length === 1 ? '' : 's'}`,
      evidence: String(loop.length)
    })
  }
  return {
    level: worst(findings),
    findings,
    hosts: [...hosts].sort(),
    stats: { nodes: workflow.nodes.length, edges: workflow.edges.length, maxFanOut, largestLoop: Math.max(0, ...shape.loops.map((l) => l.length)) }
  }
}
