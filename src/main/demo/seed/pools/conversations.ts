import type { Rng } from '../prng'
import type { Industry, Language } from './companies'

export type Sentiment = 'positive' | 'neutral' | 'negative'

export interface Exchange {
  topic: string
  message: string
  response: string
  sentiment: Sentiment
  /** The bot's confidence in its answer; below 0.5 the console flags the exchange for review. */
  confidence: number
}

interface Line {
  topic: string
  message: string
  response: string
  sentiment: Sentiment
  /** Confident answers land in 0.80–0.99; unsure ones in 0.21–0.49. */
  unsure?: boolean
}

const GENERIC: Record<Language, readonly Line[]> = {
  es: [
    { topic: 'horario', message: '¿A qué hora abrís los sábados?', response: 'Los sábados abrimos de 10:00 a 14:00. ¿Quieres que te reserve una cita?', sentiment: 'neutral' },
    { topic: 'ubicacion', message: 'Hola, ¿dónde estáis exactamente? No encuentro la dirección en Google Maps', response: 'Estamos en la Calle Mayor 14, bajo. Te envío la ubicación por aquí mismo 📍', sentiment: 'neutral' },
    { topic: 'precio', message: '¿Cuánto cuesta?', response: 'Depende del servicio. ¿Me indicas cuál te interesa y te paso el precio exacto?', sentiment: 'neutral' },
    { topic: 'agradecimiento', message: '¡Muchas gracias, muy amables!', response: '¡A ti! Si necesitas algo más, aquí estamos 😊', sentiment: 'positive' },
    { topic: 'queja', message: 'Llevo tres días esperando respuesta y nadie me contesta, es una vergüenza', response: 'Siento mucho la espera. He escalado tu caso a una persona del equipo, que te contactará hoy antes de las 18:00.', sentiment: 'negative' },
    { topic: 'humano', message: 'Quiero hablar con una persona, no con un robot', response: 'Entendido. Te paso con un compañero del equipo en cuanto esté disponible.', sentiment: 'negative' },
    { topic: 'factura', message: 'Necesito la factura de mi última compra con mi NIF', response: 'Claro. ¿Me confirmas el correo al que quieres recibirla?', sentiment: 'neutral' },
    { topic: 'fuera_de_ambito', message: '¿Me recomiendas una película para esta noche?', response: 'Creo que no puedo ayudarte con eso; solo sé responder sobre nuestros servicios. ¿Te ayudo con algo más?', sentiment: 'neutral', unsure: true },
    { topic: 'ambiguo', message: 'lo de ayer sigue igual', response: 'No estoy seguro de a qué te refieres. ¿Puedes darme el número de pedido o de cita?', sentiment: 'negative', unsure: true },
    { topic: 'pago', message: '¿Puedo pagar con Bizum?', response: 'Sí, aceptamos Bizum, tarjeta y transferencia.', sentiment: 'neutral' }
  ],
  en: [
    { topic: 'hours', message: 'Are you open on Sunday?', response: "We're open Sundays from 11am to 4pm. Would you like me to book you in?", sentiment: 'neutral' },
    { topic: 'location', message: "Hi, where exactly are you? The map pin looks wrong", response: "We're at 221 Maple Street, next to the post office. I've sent you a map link.", sentiment: 'neutral' },
    { topic: 'pricing', message: 'How much does it cost?', response: 'It depends on the service. Which one are you interested in? I can give you the exact price.', sentiment: 'neutral' },
    { topic: 'thanks', message: 'Thanks so much, that was really helpful!', response: "You're welcome! Anything else, just message us here.", sentiment: 'positive' },
    { topic: 'complaint', message: "I've been waiting 40 minutes on hold, this is ridiculous", response: "I'm really sorry about the wait. I've flagged your case and a team member will call you back within the hour.", sentiment: 'negative' },
    { topic: 'human', message: 'Can I talk to a real person please', response: "Of course. I'm handing you over to a colleague as soon as one is free.", sentiment: 'negative' },
    { topic: 'invoice', message: 'I need a VAT invoice for my last order', response: 'Sure. Which email address should I send it to?', sentiment: 'neutral' },
    { topic: 'out_of_scope', message: "What's the weather going to be like tomorrow?", response: "I'm not sure I can help with that; I can only answer questions about our services.", sentiment: 'neutral', unsure: true },
    { topic: 'ambiguous', message: 'same problem as before', response: "I'm not certain what you mean. Could you share your order or booking number?", sentiment: 'negative', unsure: true },
    { topic: 'payment', message: 'Do you take Apple Pay?', response: 'Yes, we accept Apple Pay, Google Pay and all major cards.', sentiment: 'neutral' }
  ]
}

const BY_INDUSTRY: Partial<Record<Industry, Record<Language, readonly Line[]>>> = {
  healthcare: {
    es: [
      { topic: 'cita', message: 'Hola, quería pedir cita para una limpieza dental', response: 'Tenemos hueco el jueves a las 10:30 o el viernes a las 17:00. ¿Cuál te viene mejor?', sentiment: 'neutral' },
      { topic: 'urgencia', message: 'Me duele muchísimo una muela desde anoche', response: 'Lo siento mucho. Hoy tenemos una urgencia disponible a las 12:15. ¿Te la reservo?', sentiment: 'negative' },
      { topic: 'seguro', message: '¿Trabajáis con Sanitas o Adeslas?', response: 'Sí, trabajamos con Sanitas y Adeslas. Trae tu tarjeta el día de la cita.', sentiment: 'neutral' },
      { topic: 'medicacion', message: '¿Puedo tomar ibuprofeno con el antibiótico que me recetaron?', response: 'No puedo darte indicaciones médicas. Te recomiendo consultarlo con tu dentista; ¿quieres que te llamemos?', sentiment: 'neutral', unsure: true }
    ],
    en: [
      { topic: 'booking', message: "I'd like to book a check-up for my daughter", response: 'We have openings on Tuesday at 3:30pm and Thursday at 9am. Which suits you?', sentiment: 'neutral' },
      { topic: 'emergency', message: 'My dog ate chocolate, what do I do??', response: 'Please call our emergency line on 01 555 0199 right away; a vet is on call 24/7.', sentiment: 'negative' },
      { topic: 'prescription', message: 'Is my repeat prescription ready to collect?', response: "I can't see prescription details from here. I've asked the pharmacist to text you when it's ready.", sentiment: 'neutral', unsure: true }
    ]
  },
  retail: {
    es: [
      { topic: 'stock', message: '¿Tenéis tacos de 8 mm para pladur?', response: 'Sí, tenemos tacos de 8 mm para pladur en caja de 50 unidades por 4,95 €.', sentiment: 'neutral' },
      { topic: 'pedido', message: '¿Cuándo llega mi pedido 10452?', response: 'Tu pedido 10452 salió ayer y llegará mañana entre las 9:00 y las 14:00.', sentiment: 'neutral' },
      { topic: 'devolucion', message: 'El taladro que compré vino roto', response: 'Vaya, lo siento. Puedes traerlo a tienda con el ticket y te lo cambiamos en el momento.', sentiment: 'negative' }
    ],
    en: [
      { topic: 'stock', message: 'Do you have the new Sally Rooney novel in stock?', response: 'Yes, we have 3 copies in store. Want me to set one aside for you?', sentiment: 'positive' },
      { topic: 'returns', message: 'Can I return glasses if the prescription feels off?', response: 'Yes, within 30 days we remake the lenses free of charge.', sentiment: 'neutral' }
    ]
  },
  legal: {
    es: [{ topic: 'consulta', message: 'Necesito asesoramiento por un despido improcedente', response: 'Podemos darte una primera consulta gratuita de 30 minutos. ¿Te va bien el lunes a las 16:00?', sentiment: 'negative' }],
    en: [
      { topic: 'consultation', message: 'Do you handle tenancy disputes?', response: 'Yes, our property team handles tenancy disputes. I can book a 20-minute intro call.', sentiment: 'neutral' },
      { topic: 'case_status', message: 'Any update on my case? Reference NW-2231', response: "I can't access case files. I've asked your solicitor to email you an update today.", sentiment: 'neutral', unsure: true }
    ]
  },
  hospitality: {
    es: [
      { topic: 'reserva', message: 'Mesa para 6 el sábado a las 21:30, ¿puede ser?', response: 'Sí, te he reservado mesa para 6 el sábado a las 21:30 a nombre de quien me indiques.', sentiment: 'positive' },
      { topic: 'alergias', message: '¿La paella lleva marisco? Soy alérgica', response: 'La paella valenciana no lleva marisco, pero se cocina en la misma cocina. Avisa al camarero al llegar.', sentiment: 'neutral' }
    ],
    en: [
      { topic: 'booking', message: 'Do you do gluten-free cakes to order?', response: 'Yes! Gluten-free cakes need 48 hours notice. What size and flavour would you like?', sentiment: 'positive' },
      { topic: 'checkin', message: 'Can we check in early, around 11?', response: "Early check-in depends on availability; I've noted your request and we'll confirm the morning of arrival.", sentiment: 'neutral' }
    ]
  },
  education: {
    es: [{ topic: 'matricula', message: '¿Cuándo empiezan los cursos intensivos de inglés?', response: 'El próximo intensivo empieza el 1 de julio, de lunes a jueves de 9:00 a 13:00.', sentiment: 'neutral' }],
    en: [{ topic: 'enrolment', message: 'When does enrolment close for the spring term?', response: 'Spring enrolment closes on January 12. You can apply online in about 10 minutes.', sentiment: 'neutral' }]
  },
  real_estate: {
    es: [{ topic: 'visita', message: 'Me interesa el piso de 3 habitaciones en la playa, ¿se puede ver?', response: 'Claro. Podemos enseñártelo el miércoles a las 18:00. ¿Te confirmo la visita?', sentiment: 'positive' }],
    en: [{ topic: 'viewing', message: 'Is the 2-bed on Harbor Road still available?', response: 'Yes, it is. Viewings are available this Friday afternoon.', sentiment: 'positive' }]
  },
  finance: {
    es: [{ topic: 'prestamo', message: '¿Qué necesito para pedir un préstamo personal?', response: 'Necesitas DNI, las tres últimas nóminas y la última declaración de la renta.', sentiment: 'neutral' }],
    en: [{ topic: 'tax', message: 'Can you file my self-assessment before the deadline?', response: "Yes, if we receive your documents by January 20. I'll send you the checklist.", sentiment: 'neutral' }]
  },
  logistics: {
    es: [{ topic: 'envio', message: 'Mi envío lleva 4 días en el mismo almacén', response: 'Lo siento. He abierto una incidencia con el almacén de Monterrey; te informaremos en 24 horas.', sentiment: 'negative' }],
    en: [{ topic: 'tracking', message: 'Where is consignment AF-88213?', response: 'AF-88213 cleared customs at Felixstowe this morning and is due Thursday.', sentiment: 'neutral' }]
  },
  automotive: {
    es: [{ topic: 'itv', message: '¿Me pasáis el coche por la ITV?', response: 'Sí, hacemos la pre-ITV y lo llevamos nosotros. El servicio completo cuesta 45 €.', sentiment: 'neutral' }],
    en: [{ topic: 'service', message: 'How much is a full service on a 2019 Civic?', response: 'A full service on a 2019 Civic is $289 including oil and filters.', sentiment: 'neutral' }]
  },
  beauty: {
    es: [{ topic: 'cita', message: '¿Tenéis hueco para mechas el viernes?', response: 'El viernes tenemos hueco a las 16:00 con Laura. ¿Te lo reservo?', sentiment: 'positive' }],
    en: [{ topic: 'booking', message: 'Can I book a couples massage for Saturday?', response: 'We have a couples massage at 2pm on Saturday. Shall I hold it for you?', sentiment: 'positive' }]
  },
  fitness: {
    es: [{ topic: 'baja', message: 'Quiero darme de baja del gimnasio', response: 'Lamento que te vayas. La baja se hace en recepción o por correo con 15 días de antelación.', sentiment: 'negative' }],
    en: [{ topic: 'classes', message: 'Is there a spin class tonight?', response: 'Yes, spin at 6:30pm and 7:45pm. Both have spaces left.', sentiment: 'positive' }]
  },
  technology: {
    es: [{ topic: 'soporte', message: 'La integración con WhatsApp ha dejado de responder', response: 'Estamos revisándolo; parece un problema del proveedor. Te aviso en cuanto esté resuelto.', sentiment: 'negative' }],
    en: [{ topic: 'support', message: 'Our API key stopped working this morning', response: "I can't see key details here; I've opened ticket #4821 for our engineers.", sentiment: 'negative', unsure: true }]
  }
}

function exchangePool(industry: Industry, language: Language): readonly Line[] {
  return [...(BY_INDUSTRY[industry]?.[language] ?? []), ...GENERIC[language]]
}

/** One customer message and the bot's answer, with a confidence consistent with the answer. */
export function exchange(rng: Rng, industry: Industry, language: Language): Exchange {
  const line = rng.pick(exchangePool(industry, language))
  const confidence = line.unsure ? rng.float(0.21, 0.49) : rng.float(0.8, 0.99)
  return { topic: line.topic, message: line.message, response: line.response, sentiment: line.sentiment, confidence }
}

export const AGENT_NAMES: Record<Language, readonly string[]> = {
  es: ['Asistente Lucía', 'Recepción Virtual', 'Agente Comercial', 'Soporte 24h'],
  en: ['Ava (Front Desk)', 'Virtual Receptionist', 'Sales Assistant', 'Support Bot']
}

export const TOPICS: Record<Language, readonly string[]> = {
  es: ['citas', 'precios', 'horarios', 'facturas', 'envíos', 'devoluciones'],
  en: ['bookings', 'pricing', 'opening hours', 'invoices', 'shipping', 'returns']
}
