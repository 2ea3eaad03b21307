/**
 * GDPR-style consent purposes an end user can grant and later revoke. The legal basis and the
 * policy version travel in consent_details so a revocation can be matched to what was accepted.
 */
export const CONSENT_TYPES = [
  { type: 'data_processing', purpose: { es: 'Tratamiento de datos para atender la conversación', en: 'Processing data to handle the conversation' } },
  { type: 'marketing_whatsapp', purpose: { es: 'Comunicaciones comerciales por WhatsApp', en: 'Marketing messages over WhatsApp' } },
  { type: 'marketing_email', purpose: { es: 'Boletín y ofertas por correo', en: 'Newsletter and offers by email' } },
  { type: 'analytics', purpose: { es: 'Análisis anónimo para mejorar el servicio', en: 'Anonymous analytics to improve the service' } },
  { type: 'ai_training', purpose: { es: 'Uso anonimizado de conversaciones para mejorar el agente', en: 'Anonymised use of conversations to improve the agent' } },
  { type: 'call_recording', purpose: { es: 'Grabación de llamadas con fines de calidad', en: 'Call recording for quality purposes' } }
] as const

export type ConsentType = (typeof CONSENT_TYPES)[number]['type']

export const CONSENT_SOURCES = ['web_widget', 'whatsapp_optin', 'signup_form', 'in_store_tablet'] as const

export const REVOCATION_REASONS = ['user_request', 'unsubscribe_link', 'whatsapp_stop_keyword', 'account_deleted'] as const

/** Privacy policy versions a consent was given under, oldest first. */
export const POLICY_VERSIONS = ['2024-03', '2025-01'] as const

/** Where the tenants' customers have their mailboxes (lookups by email find them). */
export const SUBJECT_EMAIL_DOMAINS = ['gmail.com', 'outlook.es', 'hotmail.com', 'yahoo.com', 'icloud.com', 'proton.me'] as const
