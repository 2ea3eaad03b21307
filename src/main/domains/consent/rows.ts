import type { ConsentRecord, CurrentConsent, ErasureReceipt, Regulation, RequestStatus, RequestType, SubjectRequest } from '../../../shared/rpc/areas/consent'

/** One mapper per DTO: pg hands back timestamptz as Date; the RPC speaks ISO strings. */

export interface CurrentConsentRow {
  user_id: string
  consent_type: string
  granted: boolean
  since: Date
  record_id: string
  policy_version: string | null
  legal_basis: string
}

export function toCurrentConsent(r: CurrentConsentRow): CurrentConsent {
  return {
    userId: r.user_id,
    consentType: r.consent_type,
    granted: r.granted,
    since: r.since.toISOString(),
    recordId: r.record_id,
    policyVersion: r.policy_version,
    legalBasis: r.legal_basis
  }
}

export interface ConsentRecordRow {
  id: string
  consent_type: string
  granted: boolean
  at: Date
  revokes_id: string | null
  policy_version: string | null
  legal_basis: string
  source_channel: string | null
  source_agent: string | null
  source_form: string | null
  has_evidence: boolean
  created_by: string
}

export function toConsentRecord(r: ConsentRecordRow): ConsentRecord {
  return {
    id: r.id,
    consentType: r.consent_type,
    granted: r.granted,
    at: r.at.toISOString(),
    revokesId: r.revokes_id,
    policyVersion: r.policy_version,
    legalBasis: r.legal_basis,
    sourceChannel: r.source_channel,
    sourceAgent: r.source_agent,
    sourceForm: r.source_form,
    hasEvidence: r.has_evidence,
    recordedBy: r.created_by
  }
}

export interface RequestRow {
  id: string
  tenant_id: string
  subject_id: string | null
  external_id: string | null
  request_type: RequestType
  regulation: Regulation
  status: RequestStatus
  received_at: Date
  due_at: Date
  extension_reason: string | null
  assigned_to: string | null
  requested_by: string
  identity_verified_by: string | null
  erasure_approved_by: string | null
  denial_reason: string | null
  closed_at: Date | null
  version: number
  /** The database's clock, so the days left do not depend on the laptop's. */
  now: Date
}

const DAY_MS = 86_400_000

export function toRequest(r: RequestRow): SubjectRequest {
  const open = r.closed_at === null
  const left = r.due_at.getTime() - r.now.getTime()
  return {
    id: r.id,
    tenantId: r.tenant_id,
    subjectId: r.subject_id,
    externalId: r.external_id,
    requestType: r.request_type,
    regulation: r.regulation,
    status: r.status,
    receivedAt: r.received_at.toISOString(),
    dueAt: r.due_at.toISOString(),
    // Rounded up: due later today is 1 day left, not 0; overdue since this morning is -0 → 0 and overdue.
    daysLeft: open ? Math.ceil(left / DAY_MS) : null,
    overdue: open && left < 0,
    extensionReason: r.extension_reason,
    assignedTo: r.assigned_to,
    requestedBy: r.requested_by,
    identityVerifiedBy: r.identity_verified_by,
    erasureApprovedBy: r.erasure_approved_by,
    denialReason: r.denial_reason,
    closedAt: r.closed_at ? r.closed_at.toISOString() : null,
    version: r.version
  }
}

export interface ReceiptRow {
  id: string
  request_id: string
  requested_by: string
  approved_by: string
  erased_at: Date
  removed: Record<string, number>
  pseudonymized: Record<string, number>
}

export function toReceipt(r: ReceiptRow): ErasureReceipt {
  return {
    id: r.id,
    requestId: r.request_id,
    requestedBy: r.requested_by,
    approvedBy: r.approved_by,
    erasedAt: r.erased_at.toISOString(),
    removed: r.removed,
    pseudonymized: r.pseudonymized
  }
}
