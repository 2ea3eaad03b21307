import type { Rng } from '../prng'
import type { WorkflowNode } from './workflows'

export interface ExecutionFailure {
  /** The node that failed: the step whose status is 'error'. */
  nodeType: string
  message: string
  /** n8n-style error object stored in executions.error_data */
  errorData: Record<string, unknown>
}

interface ErrorShape {
  /** Node types this error can come from; '*' matches any node. */
  nodes: readonly string[]
  message: (node: WorkflowNode) => string
  httpCode?: number
  description: string
  retryable: boolean
}

const ERRORS: readonly ErrorShape[] = [
  {
    nodes: ['@n8n/n8n-nodes-langchain.openAi', '@n8n/n8n-nodes-langchain.agent'],
    message: () => 'HTTP 429 from api.openai.com: rate limit reached for gpt-4o-mini in organization on tokens per min (TPM): Limit 200000, Used 199412, Requested 1380',
    httpCode: 429,
    description: 'Rate limit reached. Please try again in 412ms.',
    retryable: true
  },
  {
    nodes: ['@n8n/n8n-nodes-langchain.openAi', '@n8n/n8n-nodes-langchain.agent'],
    message: () => 'HTTP 503 from api.openai.com: The server is overloaded or not ready yet.',
    httpCode: 503,
    description: 'Upstream model provider unavailable',
    retryable: true
  },
  {
    nodes: ['n8n-nodes-base.whatsApp', 'n8n-nodes-base.whatsAppTrigger'],
    message: () => 'Timeout after 30000 ms calling WhatsApp Cloud API (graph.facebook.com/v19.0/messages)',
    description: 'ETIMEDOUT',
    retryable: true
  },
  {
    nodes: ['n8n-nodes-base.whatsApp'],
    message: () => "HTTP 400 from graph.facebook.com: (#131047) Re-engagement message: more than 24 hours have passed since the customer last replied",
    httpCode: 400,
    description: 'Message failed to send because more than 24 hours have passed since the customer last replied to this number.',
    retryable: false
  },
  {
    nodes: ['n8n-nodes-base.googleSheets', 'n8n-nodes-base.googleCalendar', 'n8n-nodes-base.gmail'],
    message: (node) => `Invalid credentials for node '${node.name}'`,
    httpCode: 401,
    description: 'invalid_grant: Token has been expired or revoked.',
    retryable: false
  },
  {
    nodes: ['n8n-nodes-base.googleSheets'],
    message: () => "HTTP 400 from sheets.googleapis.com: Unable to parse range: 'Leads 2024'!A:F",
    httpCode: 400,
    description: 'The sheet was renamed or deleted',
    retryable: false
  },
  {
    nodes: ['n8n-nodes-base.hubspot'],
    message: () => 'HTTP 409 from api.hubapi.com: Contact already exists. Existing ID: 85102',
    httpCode: 409,
    description: 'CONFLICT',
    retryable: false
  },
  {
    nodes: ['n8n-nodes-base.stripe'],
    message: () => "HTTP 402 from api.stripe.com: Your card was declined. (card_declined)",
    httpCode: 402,
    description: 'card_declined',
    retryable: false
  },
  {
    nodes: ['n8n-nodes-base.httpRequest'],
    message: () => 'getaddrinfo ENOTFOUND erp.internal.example',
    description: 'DNS lookup failed for the ERP host',
    retryable: true
  },
  {
    nodes: ['n8n-nodes-base.httpRequest'],
    message: () => 'HTTP 500 from erp API: Internal Server Error',
    httpCode: 500,
    description: 'The remote ERP returned an error',
    retryable: true
  },
  {
    nodes: ['n8n-nodes-base.postgres'],
    message: () => 'connection terminated unexpectedly',
    description: 'Database connection lost during query',
    retryable: true
  },
  {
    nodes: ['n8n-nodes-base.slack'],
    message: () => 'Slack API error: channel_not_found',
    httpCode: 404,
    description: 'The channel was archived or the bot was removed from it',
    retryable: false
  },
  {
    nodes: ['*'],
    message: (node) => `Workflow execution timed out after 300 seconds while running node '${node.name}'`,
    description: 'Execution exceeded the maximum run time',
    retryable: true
  }
]

/** A failure that makes sense for one of the workflow's nodes, with n8n's error_data shape. */
export function executionFailure(rng: Rng, nodes: readonly WorkflowNode[], at: Date): ExecutionFailure & { nodeIndex: number } {
  const specific: { shape: ErrorShape; index: number }[] = []
  nodes.forEach((node, index) => {
    for (const shape of ERRORS) if (shape.nodes.includes(node.type)) specific.push({ shape, index })
  })
  // Node-specific failures dominate; the run-time limit hits any node after the trigger, rarely.
  const generic = ERRORS.find((shape) => shape.nodes[0] === '*')!
  const { shape, index } = specific.length > 0 && rng.chance(0.9) ? rng.pick(specific) : { shape: generic, index: rng.int(1, nodes.length - 1) }
  const node = nodes[index]!
  const message = shape.message(node)
  return {
    nodeIndex: index,
    nodeType: node.type,
    message,
    errorData: {
      message,
      description: shape.description,
      ...(shape.httpCode !== undefined ? { httpCode: String(shape.httpCode) } : {}),
      node: { name: node.name, type: node.type },
      retryable: shape.retryable,
      timestamp: at.getTime()
    }
  }
}
