import { hasCapability } from '../../shared/capabilities'
import { compareInboxItems, type Inbox } from '../../shared/rpc/areas/inbox'
import type { Backend } from '../backend-types'
import { describeError } from '../rpc/describe-error'
import type { InboxProvider } from './provider'

/**
 * Asks every provider the operator's groups allow, side by side; a provider that fails (or needs
 * the database while offline) becomes a gap, and the others still answer. While not online the
 * groups are unknown: the local providers answer, the others are gaps.
 */
export async function collectInbox(backend: Backend, providers: readonly InboxProvider[], now = new Date(), log: (line: string) => void = () => undefined): Promise<Inbox> {
  const status = backend.status()
  const online = status.state === 'online'
  const gaps: Inbox['gaps'] = []
  const asked = providers.filter((provider) => !online || hasCapability(status.groups, provider.capability))
  const answers = await Promise.all(
    asked.map(async (provider) => {
      if (provider.needsDatabase && !online) {
        gaps.push({ provider: provider.id, area: provider.area, reason: 'offline' })
        return []
      }
      try {
        return await provider.collect(backend, now)
      } catch (error) {
        log(`inbox provider ${provider.id} failed: ${describeError(error)}`)
        gaps.push({ provider: provider.id, area: provider.area, reason: 'failed' })
        return []
      }
    })
  )
  gaps.sort((a, b) => a.provider.localeCompare(b.provider))
  return { items: answers.flat().sort(compareInboxItems), checkedAt: now.toISOString(), gaps }
}
