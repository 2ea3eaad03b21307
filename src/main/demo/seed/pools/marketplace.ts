import type { Language } from './companies'

export const TEMPLATE_CATEGORIES = ['customer_service', 'sales', 'appointments', 'marketing', 'operations', 'finance', 'hr'] as const

export interface TemplateIdea {
  name: string
  description: string
  category: (typeof TEMPLATE_CATEGORIES)[number]
  tags: readonly string[]
  language: Language
}

export const TEMPLATE_IDEAS: readonly TemplateIdea[] = [
  { name: 'Recepcionista IA para clínicas', description: 'Agente de WhatsApp que gestiona citas, recordatorios y urgencias para clínicas dentales y médicas.', category: 'appointments', tags: ['whatsapp', 'clínicas', 'citas'], language: 'es' },
  { name: 'AI front desk for dental practices', description: 'Books, moves and confirms dental appointments over WhatsApp and web chat, synced to Google Calendar.', category: 'appointments', tags: ['dental', 'calendar'], language: 'en' },
  { name: 'Captura de leads inmobiliarios', description: 'Cualifica a los interesados en un inmueble y agenda visitas automáticamente.', category: 'sales', tags: ['inmobiliaria', 'leads'], language: 'es' },
  { name: 'Abandoned cart recovery', description: 'Sends a personalised WhatsApp message with a discount code 2 hours after a cart is abandoned.', category: 'marketing', tags: ['ecommerce', 'whatsapp'], language: 'en' },
  { name: 'Seguimiento de pedidos', description: 'Responde “¿dónde está mi pedido?” consultando el ERP o la agencia de transporte.', category: 'customer_service', tags: ['pedidos', 'logística'], language: 'es' },
  { name: 'Invoice chaser', description: 'Reminds customers about overdue invoices with a Stripe payment link and escalates after 3 attempts.', category: 'finance', tags: ['stripe', 'invoices'], language: 'en' },
  { name: 'Encuesta de satisfacción post-servicio', description: 'Envía una encuesta NPS tras cada servicio y guarda las respuestas en Google Sheets.', category: 'marketing', tags: ['nps', 'sheets'], language: 'es' },
  { name: 'Candidate screening assistant', description: 'Pre-screens job applicants with five questions and books interviews for the shortlist.', category: 'hr', tags: ['recruiting'], language: 'en' },
  { name: 'Reservas de restaurante', description: 'Gestiona reservas de mesa, alergias y cambios de última hora por WhatsApp.', category: 'appointments', tags: ['restaurantes', 'reservas'], language: 'es' },
  { name: 'Daily ops digest', description: 'Summarises yesterday’s conversations, failed executions and usage into one morning email.', category: 'operations', tags: ['reporting', 'ai'], language: 'en' },
  { name: 'FAQ multilingüe', description: 'Responde preguntas frecuentes en español, inglés y francés a partir de tu base de conocimiento.', category: 'customer_service', tags: ['faq', 'multilingüe'], language: 'es' },
  { name: 'HubSpot deal updater', description: 'Moves HubSpot deals through the pipeline based on what customers say in chat.', category: 'sales', tags: ['crm', 'hubspot'], language: 'en' }
]

/** Why a moderator sent a template back: a reason code of migrations/012 and the note the creator reads. */
export const REJECTIONS: readonly { code: string; note: string }[] = [
  { code: 'misleading_listing', note: 'La descripción promete integraciones que el flujo no incluye (no hay nodo de Stripe).' },
  { code: 'hardcoded_secret', note: 'Contains a hard-coded API key in the HTTP Request node headers.' },
  { code: 'misleading_listing', note: 'Las capturas de pantalla muestran datos personales reales de clientes.' },
  { code: 'misleading_listing', note: 'Duplicate of an existing listing by the same creator.' },
  { code: 'unknown_outbound_host', note: 'The code node posts every lead to a host the listing does not mention.' }
]

/** Public reasons of takedowns (reason codes of migrations/012). */
export const TAKEDOWNS: readonly { code: string; reason: string }[] = [
  { code: 'security_issue', reason: 'Removed: the workflow sent customer data to an undisclosed server.' },
  { code: 'author_request', reason: 'Removed at the request of its creator.' },
  { code: 'policy_violation', reason: 'Removed: the listing advertised features the workflow did not have.' }
]

export const REVIEW_TEXTS: Record<Language, readonly { rating: number; title: string; content: string }[]> = {
  es: [
    { rating: 5, title: 'Nos ahorra horas cada semana', content: 'Lo instalamos en 20 minutos y ya gestiona el 70 % de las citas sin intervención.' },
    { rating: 4, title: 'Muy útil, con algún detalle', content: 'Funciona bien, aunque tuve que ajustar el horario de la clínica a mano.' },
    { rating: 3, title: 'Correcto', content: 'Hace lo que dice, pero la documentación está solo en inglés.' },
    { rating: 2, title: 'Se desconecta', content: 'Cada pocos días hay que volver a autorizar Google Calendar.' },
    { rating: 1, title: 'No funciona', content: 'Después de la instalación no responde ningún mensaje.' }
  ],
  en: [
    { rating: 5, title: 'Paid for itself in a week', content: 'Our receptionist now handles only the tricky calls. Setup was painless.' },
    { rating: 4, title: 'Solid template', content: 'Works well; I had to tweak the prompt for our tone of voice.' },
    { rating: 3, title: 'Okay', content: 'Does the job but the error handling is basic.' },
    { rating: 2, title: 'Flaky with WhatsApp', content: 'Messages sometimes fail with timeouts during busy hours.' },
    { rating: 1, title: 'Broken after update', content: 'Stopped working after the latest version, no reply from the creator.' }
  ]
}

/** Reviews a moderator hid, with the reason kept for the audit trail. */
export const HIDDEN_REVIEWS: readonly { rating: number; title: string; content: string; code: string; reason: string }[] = [
  { rating: 1, title: 'ESTAFA!!!', content: 'Llamad al 600 123 456 y os lo vendo más barato', code: 'spam', reason: 'Spam: contiene un teléfono y una oferta externa' },
  { rating: 1, title: 'Terrible', content: 'The creator is an idiot and so is everyone who buys this.', code: 'abusive', reason: 'Abusive language towards the creator' },
  { rating: 5, title: 'Best template ever', content: 'Visit cheap-templates.example for 50% off this and more!', code: 'spam', reason: 'Promotional link to a third-party site' },
  { rating: 2, title: 'Datos de clientes', content: 'En la captura se ve el DNI 12345678Z de un paciente.', code: 'personal_data', reason: 'Contains personal data of a third party' }
]

/** Abusive reviews still visible: the moderators' review queue must have something to hide. */
export const ABUSIVE_REVIEWS: readonly { rating: number; title: string; content: string }[] = [
  { rating: 1, title: 'Basura', content: 'Quien haya hecho esto es un inútil. No lo compréis, panda de idiotas.' },
  { rating: 1, title: 'SCAM', content: 'Total scam!!! Get the real one at templates-cheap.example, 90% off' }
]
