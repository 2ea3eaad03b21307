import { Rng } from '../prng'
import { daysBefore } from '../time'
import { USAGE_TYPES } from '../prices'
import type { World } from '../world'
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
      planned: world.priceBook.length,
      *rows(): Generator<Row> {
        for (const entry of world.priceBook) {
          yield {
            id: entry.id,
            plan_id: `${entry.plan}_monthly`,
            currency: entry.currency,
            amount: entry.amount,
            stripe_price_id: entry.stripePriceId,
            active: true,
            created_at: entry.createdAt,
            updated_at: entry.createdAt
          }
        }
      }
    },
    {
      table: 'price_book_unit_prices',
      planned: world.priceBook.length * USAGE_TYPES.length,
      *rows(): Generator<Row> {
        for (const entry of world.priceBook) {
          for (const type of USAGE_TYPES) {
            yield {
              id: entry.unitPrices[type].id,
              price_book_id: entry.id,
              currency: entry.currency,
              usage_type: type,
              unit_price: entry.unitPrices[type].price,
              created_at: entry.createdAt,
              updated_at: entry.createdAt
            }
          }
        }
      }
    }
  ]
}
