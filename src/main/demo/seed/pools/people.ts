import type { Rng } from '../prng'
import { slugify, type Language } from './companies'

const FIRST_ES = ['María', 'José', 'Lucía', 'Javier', 'Carmen', 'Alejandro', 'Sofía', 'Diego', 'Valentina', 'Andrés', 'Isabel', 'Pablo', 'Camila', 'Sergio', 'Ana Belén', 'Raúl', 'Paula', 'Martín', 'Inés', 'Tomás', 'Ximena', 'Nicolás', 'Elena', 'Joaquín']
const LAST_ES = ['García', 'Rodríguez', 'Martínez', 'López', 'Sánchez', 'Pérez', 'Gómez', 'Fernández', 'Díaz', 'Moreno', 'Muñoz', 'Álvarez', 'Romero', 'Navarro', 'Torres', 'Domínguez', 'Vázquez', 'Ramos', 'Castillo', 'Ortega', 'Peña', 'Ibáñez']
const FIRST_EN = ['Emily', 'James', 'Olivia', 'Michael', 'Sarah', 'Daniel', 'Grace', 'Ethan', 'Hannah', 'Liam', 'Chloe', 'Noah', 'Megan', 'Ryan', 'Zoe', 'Connor', 'Abigail', 'Owen', 'Priya', 'Marcus', 'Aisha', 'Lucas']
const LAST_EN = ['Smith', 'Johnson', 'Williams', 'Brown', 'Taylor', 'Anderson', 'Thomas', 'Walker', 'Harris', 'Clarke', 'Lewis', "O'Connor", 'Robinson', 'Wright', 'Mitchell', 'Patel', 'Nguyen', 'Kowalski', 'Murphy', 'Bennett']

export interface Person {
  fullName: string
  email: string
}

/** A staff member of a tenant, with an address on the tenant's own domain. */
export function person(rng: Rng, language: Language, domain: string, taken: Set<string>): Person {
  const [firsts, lasts] = language === 'es' ? [FIRST_ES, LAST_ES] : [FIRST_EN, LAST_EN]
  for (let attempt = 0; ; attempt++) {
    const first = rng.pick(firsts)
    const last = rng.pick(lasts)
    const local = `${slugify(first).split('-')[0]}.${slugify(last).replace(/-/g, '')}${attempt > 3 ? attempt : ''}`
    const email = `${local}@${domain}`
    if (!taken.has(email)) {
      taken.add(email)
      return { fullName: `${first} ${last}`, email }
    }
  }
}

/** The end customer chatting with a tenant's agent: an opaque channel identifier, not a name. */
export function endUserId(rng: Rng, channel: string): string {
  if (channel === 'whatsapp') return `wa:+${rng.pick(['34', '52', '54', '57', '1', '44'])}${rng.int(600000000, 699999999)}`
  if (channel === 'instagram') return `ig:${rng.hex(6)}`
  return `web:${rng.hex(8)}`
}

const CONTACT_LOCALS: Record<Language, readonly string[]> = {
  es: ['info', 'contacto', 'hola', 'administracion', 'recepcion'],
  en: ['info', 'hello', 'contact', 'office', 'support']
}

export function contactEmail(rng: Rng, language: Language, domain: string): string {
  return `${rng.pick(CONTACT_LOCALS[language])}@${domain}`
}
