import { executionsFailing } from '../domains/executions/inbox'
import { syncStalled } from '../domains/sync/inbox'
import { breakGlassEnding, tenantsOverLimit } from '../domains/tenants/inbox'
import { usageAnomalies } from '../domains/usage/inbox'
import type { InboxProvider } from './provider'

/** Every area's inbox providers; an area adds its own here (one line), written in its own domain. */
export const inboxProviders: readonly InboxProvider[] = [executionsFailing, tenantsOverLimit, breakGlassEnding, syncStalled, usageAnomalies]
