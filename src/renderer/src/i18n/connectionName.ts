import { frameCatalog } from './catalog'
import { translate, type Locale } from './define'

/**
 * A connection's name in the chosen language: the embedded demo's name comes from the main
 * process in English, so the screens name it themselves; a saved profile keeps the name its
 * operator gave it.
 */
export function connectionName(connection: { demo: boolean; name: string }, locale: Locale): string {
  return connection.demo ? translate(frameCatalog, locale, 'status.demoName') : connection.name
}
