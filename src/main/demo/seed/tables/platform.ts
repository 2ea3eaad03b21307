import { Rng } from '../prng'
import { daysBefore } from '../time'
import { PLANS, type World } from '../world'
import type { Row, TableLoad } from './types'

const TRANSLATIONS: readonly [namespace: string, key: string, es: string, en: string][] = [
  ['agent', 'greeting', '¡Hola! Soy el asistente virtual de {business}. ¿En qué puedo ayudarte?', "Hi! I'm {business}'s virtual assistant. How can I help?"],
  ['agent', 'handoff', 'Te paso con una persona del equipo. Te responderá lo antes posible.', "I'm handing you over to a member of our team. They'll reply as soon as possible."],
  ['agent', 'out_of_hours', 'Ahora mismo estamos cerrados. Abrimos mañana a las {opens}.', "We're closed right now. We open tomorrow at {opens}."],
  ['agent', 'consent_prompt', 'Para atenderte necesitamos tratar tus datos. ¿Aceptas nuestra política de privacidad?', 'To help you we need to process your data. Do you accept our privacy policy?'],
  ['agent', 'low_confidence', 'No estoy seguro de haberte entendido. ¿Puedes darme más detalles?', "I'm not sure I understood. Could you give me more detail?"],
  ['billing', 'invoice_ready', 'Tu factura de {month} ya está disponible.', 'Your invoice for {month} is ready.'],
  ['billing', 'payment_failed', 'No hemos podido cobrar tu suscripción. Actualiza tu método de pago.', "We couldn't charge your subscription. Please update your payment method."],
  ['marketplace', 'template_rejected', 'Tu plantilla ha sido rechazada: {reason}', 'Your template was rejected: {reason}']
]

const MONTHLY_USD: Record<string, number> = { starter: 29, professional: 79, business: 199, enterprise: 899 }
const CURRENCIES: readonly [string, number][] = [['USD', 1], ['EUR', 0.92], ['GBP', 0.79], ['MXN', 17.5]]

export function platformLoads(world: World): TableLoad[] {
  const { seed, anchor } = world
  return [
    {
      table: 'translations',
      planned: TRANSLATIONS.length * 2,
      *rows(): Generator<Row> {
        const rng = new Rng(seed, 'translations')
        for (const [namespace, key, es, en] of TRANSLATIONS) {
          for (const [locale, value] of [['es', es], ['en', en]] as const) {
            const at = daysBefore(anchor, rng.int(100, 400))
            yield { id: rng.uuid(), namespace, key, locale, value, context: { placeholders: [...value.matchAll(/\{(\w+)\}/g)].map((m) => m[1]) }, created_at: at, updated_at: at }
          }
        }
      }
    },
    {
      table: 'price_book',
      planned: PLANS.length * CURRENCIES.length,
      *rows(): Generator<Row> {
        const rng = new Rng(seed, 'price-book')
        for (const plan of PLANS) {
          for (const [currency, rate] of CURRENCIES) {
            const at = daysBefore(anchor, rng.int(200, 500))
            yield {
              id: rng.uuid(),
              plan_id: `${plan}_monthly`,
              currency,
              amount: Math.round(MONTHLY_USD[plan]! * rate) - 0.01,
              stripe_price_id: `price_${rng.hex(12)}`,
              active: true,
              created_at: at,
              updated_at: at
            }
          }
        }
      }
    }
  ]
}
