import { useState } from 'react'
import { REJECT_NOTE_MIN, TAKEDOWN_REASON_MIN, type BulkItemResult, type ReasonOption, type TemplateState } from '../../../../shared/rpc/areas/marketplace'
import { useT } from '../../i18n/useT'
import { runMutation, useMutation } from '../../rpc/mutation'
import { rpc } from '../../rpc/transport'
import { DecisionDialog, type DecisionRequest } from './DecisionDialog'
import { marketplaceCatalog } from './messages'

/** A template as the moderator sees it: the version he acts on is this one, never a newer one he has not seen. */
export interface Target {
  id: string
  version: number
  name: string
  status: TemplateState
  claimedByMe: boolean
}

type Kind = 'approve' | 'reject' | 'takeDown'

export interface BulkOutcome {
  decision: 'approve' | 'reject'
  results: (BulkItemResult & { name: string })[]
}

/**
 * The decisions of the queue and the review screen, one place for both: claim, release and
 * publish run at once; approve, reject and take down ask for a reason first. A decision on an item
 * the moderator has not claimed claims it first, on the version he saw (a claim someone else holds
 * or a change since then is refused by the database, with who did it).
 */
export function useModeration({ reasons, onChanged, onDecided }: { reasons: readonly ReasonOption[]; onChanged(): void; onDecided(target: Target): void }) {
  const t = useT(marketplaceCatalog)
  const [pending, setPending] = useState<{ kind: Kind; targets: Target[]; request: DecisionRequest } | null>(null)
  const [bulk, setBulk] = useState<BulkOutcome | null>(null)

  const simple = (procedure: 'marketplace.claim' | 'marketplace.release' | 'marketplace.publish', done: 'done.claim' | 'done.release' | 'done.publish') => (target: Target) =>
    void runMutation(() => rpc.call(procedure, { templateId: target.id, version: target.version }), { success: () => t(done, { name: target.name }), onSuccess: onChanged })

  function ask(kind: Kind, targets: Target[]) {
    if (targets.length === 0) return
    const many = targets.length > 1
    const name = targets[0]!.name
    const intro = kind !== 'takeDown' && !many && !targets[0]!.claimedByMe ? t('decide.claimFirst') : kind === 'takeDown' ? t('decide.takeDownNote') : undefined
    const request: DecisionRequest =
      kind === 'approve'
        ? { decision: 'approve', title: many ? t('decide.bulkApproveTitle', { count: targets.length }) : t('decide.approveTitle', { name }), confirmLabel: t('action.approve'), noteLabel: t('decide.note'), noteHint: t('decide.noteOptional'), noteMin: 0 }
        : kind === 'reject'
          ? { decision: 'reject', title: many ? t('decide.bulkRejectTitle', { count: targets.length }) : t('decide.rejectTitle', { name }), confirmLabel: t('action.reject'), noteLabel: t('decide.note'), noteHint: t('decide.noteMin', { min: REJECT_NOTE_MIN }), noteMin: REJECT_NOTE_MIN, destructive: true }
          : { decision: 'take_down', title: t('decide.takeDownTitle', { name }), confirmLabel: t('action.takeDown'), noteLabel: t('decide.publicReason'), noteHint: t('decide.publicReasonHint', { min: TAKEDOWN_REASON_MIN }), noteMin: TAKEDOWN_REASON_MIN, destructive: true }
    setPending({ kind, targets, request: intro ? { ...request, intro } : request })
  }

  const decide = useMutation(async (kind: Kind, targets: Target[], reasonCode: string, note: string) => {
    if (targets.length > 1) {
      const decision: BulkOutcome['decision'] = kind === 'reject' ? 'reject' : 'approve'
      const { results } = await rpc.call('marketplace.bulkDecide', { decision, reasonCode, note, items: targets.map((x) => ({ templateId: x.id, version: x.version })) })
      return { kind, target: null, bulk: { decision, results: results.map((r) => ({ ...r, name: targets.find((x) => x.id === r.templateId)?.name ?? r.templateId })) } }
    }
    const target = targets[0]!
    if (kind === 'takeDown') {
      await rpc.call('marketplace.takeDown', { templateId: target.id, version: target.version, reasonCode, publicReason: note })
      return { kind, target, bulk: null }
    }
    const version = target.claimedByMe ? target.version : (await rpc.call('marketplace.claim', { templateId: target.id, version: target.version })).version
    if (kind === 'approve') await rpc.call('marketplace.approve', { templateId: target.id, version, reasonCode, note })
    else await rpc.call('marketplace.reject', { templateId: target.id, version, reasonCode, note })
    return { kind, target, bulk: null }
  }, {
    success: (r) => (r.target ? t(r.kind === 'approve' ? 'done.approve' : r.kind === 'reject' ? 'done.reject' : 'done.takeDown', { name: r.target.name }) : t('bulk.summary', { ok: r.bulk!.results.filter((x) => x.ok).length, failed: r.bulk!.results.filter((x) => !x.ok).length })),
    onSuccess: (r) => {
      setPending(null)
      if (r.bulk) setBulk(r.bulk)
      onChanged()
      if (r.target && r.kind !== 'takeDown') onDecided(r.target)
    },
    // A claim taken before a refused decision changed the template: show it as it is now.
    onError: () => onChanged()
  })

  const dialog = (
    <DecisionDialog
      request={pending?.request ?? null}
      reasons={reasons}
      busy={decide.running}
      onCancel={() => setPending(null)}
      onConfirm={(reasonCode, note) => pending && void decide.run(pending.kind, pending.targets, reasonCode, note)}
    />
  )
  return {
    claim: simple('marketplace.claim', 'done.claim'),
    release: simple('marketplace.release', 'done.release'),
    publish: simple('marketplace.publish', 'done.publish'),
    approve: (targets: Target[]) => ask('approve', targets),
    reject: (targets: Target[]) => ask('reject', targets),
    takeDown: (target: Target) => ask('takeDown', [target]),
    bulk,
    clearBulk: () => setBulk(null),
    dialog
  }
}
