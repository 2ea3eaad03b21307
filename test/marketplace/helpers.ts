import type pg from 'pg'

/** The moderation states of migrations/012, in the order a template moves through them. */
export const STATES = ['draft', 'submitted', 'in_review', 'approved', 'published', 'rejected', 'taken_down'] as const
export type State = (typeof STATES)[number]

export const DEFINITION = {
  nodes: [{ id: 'n1', name: 'Webhook', type: 'n8n-nodes-base.webhook', parameters: { path: 'lead' } }],
  connections: {}
}

type Call = (client: pg.ClientBase, template: string, seen: number) => Promise<unknown>

/** One call per transition, with valid reasons and notes: only the state and the claim can make it fail. */
export const ACTIONS: Record<string, Call> = {
  submit: (c, id, v) => c.query('select app.submit_template($1, $2, $3)', [id, v, DEFINITION]),
  claim: (c, id, v) => c.query('select app.claim_template($1, $2)', [id, v]),
  release: (c, id, v) => c.query('select app.release_template($1, $2)', [id, v]),
  approve: (c, id, v) => c.query('select app.approve_template($1, $2, $3, $4)', [id, v, 'meets_guidelines', '']),
  reject: (c, id, v) => c.query('select app.reject_template($1, $2, $3, $4)', [id, v, 'hardcoded_secret', 'Remove the API key from the HTTP node']),
  publish: (c, id, v) => c.query('select app.publish_template($1, $2)', [id, v]),
  take_down: (c, id, v) => c.query('select app.take_down_template($1, $2, $3, $4)', [id, v, 'security_issue', 'Sends customer data to an unknown host'])
}
export type Action = keyof typeof ACTIONS

/** The only legal (state, action) pairs; claiming one's own in_review template renews the lease. */
export const LEGAL = new Set([
  'draft:submit', 'rejected:submit', 'submitted:claim', 'in_review:claim', 'in_review:release', 'in_review:approve', 'in_review:reject',
  'approved:publish', 'published:take_down'
])

/** The actions that lead from draft to each state (submit is the author's, through `author`). */
export const PATHS: Record<State, Action[]> = {
  draft: [],
  submitted: ['submit'],
  in_review: ['submit', 'claim'],
  approved: ['submit', 'claim', 'approve'],
  published: ['submit', 'claim', 'approve', 'publish'],
  rejected: ['submit', 'claim', 'reject'],
  taken_down: ['submit', 'claim', 'approve', 'publish', 'take_down']
}

export async function templateRow(admin: pg.ClientBase, id: string): Promise<Record<string, any>> {
  const { rows } = await admin.query('select * from templates where id = $1', [id])
  return rows[0]!
}

/** Runs `action` as `client` on the version the template is at now. */
export async function act(admin: pg.ClientBase, client: pg.ClientBase, action: Action, id: string): Promise<unknown> {
  const { version } = await templateRow(admin, id)
  return ACTIONS[action]!(client, id, version as number)
}

/** A draft template of `tenant`, created by the author `user` (as the admin: setup only). */
export async function draftTemplate(admin: pg.ClientBase, tenant: string, user: string, name = 'Lead intake', price = 0): Promise<string> {
  const { rows } = await admin.query<{ id: string }>(
    `insert into templates (tenant_id, creator_user_id, name, description, category, price, is_free)
     values ($1, $2, $3, 'Sends new leads to the CRM', 'crm', $4::numeric, $4::numeric = 0) returning id`,
    [tenant, user, name, price]
  )
  return rows[0]!.id
}

/** Moves a new template to `state`: submissions as `author`, everything else as `moderator`. */
export async function templateIn(admin: pg.ClientBase, author: pg.ClientBase, moderator: pg.ClientBase, tenant: string, user: string, state: State): Promise<string> {
  const id = await draftTemplate(admin, tenant, user)
  for (const action of PATHS[state]) await act(admin, action === 'submit' ? author : moderator, action, id)
  return id
}

/** The SQLSTATE and DETAIL a promise was rejected with. */
export async function failure(promise: Promise<unknown>): Promise<{ code: string; detail?: string }> {
  try {
    await promise
  } catch (error) {
    const e = error as { code?: string; detail?: string }
    return { code: e.code ?? 'none', ...(e.detail !== undefined ? { detail: e.detail } : {}) }
  }
  return { code: 'succeeded' }
}
