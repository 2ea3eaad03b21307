import { subjectRequestsDue } from '../domains/consent/inbox'
import { credentialsDue } from '../domains/credentials/inbox'
import { executionsFailing } from '../domains/executions/inbox'
import { moderationOverSla } from '../domains/marketplace/inbox'
import { syncStalled } from '../domains/sync/inbox'
import { breakGlassEnding, tenantsOverLimit } from '../domains/tenants/inbox'
import { usageAnomalies } from '../domains/usage/inbox'
import type { InboxProvider } from './provider'

/** Every area's inbox providers; an area adds its own here (one line), written in its own domain. */
export const inboxProviders: readonly InboxProvider[] = [
  executionsFailing,
  tenantsOverLimit,
  breakGlassEnding,
  syncStalled,
  moderationOverSla,
  subjectRequestsDue,
  credentialsDue,
  usageAnomalies
]
