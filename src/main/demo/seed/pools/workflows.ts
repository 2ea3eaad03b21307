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
