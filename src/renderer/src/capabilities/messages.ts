import { defineCatalog } from '../i18n/define'

/** Why a control is disabled: one sentence per denial of src/shared/capabilities.ts, and offline. */
export const capabilitiesCatalog = defineCatalog({
  en: {
    'denied.requiresAdmin': 'Only administrators may do this.',
    'denied.requiresSupportOrAdmin': 'Only support and administrators may do this.',
    'denied.requiresFinanceOrAdmin': 'Only finance and administrators may do this.',
    'denied.requiresModeratorOrAdmin': 'Only moderators and administrators may do this.',
    'denied.requiresAnyGroup': 'Your database role is in no console group.',
    'denied.offline': 'Not available while the database is offline.'
  },
  es: {
    'denied.requiresAdmin': 'Solo los administradores pueden hacerlo.',
    'denied.requiresSupportOrAdmin': 'Solo soporte y administradores pueden hacerlo.',
    'denied.requiresFinanceOrAdmin': 'Solo finanzas y administradores pueden hacerlo.',
    'denied.requiresModeratorOrAdmin': 'Solo moderadores y administradores pueden hacerlo.',
    'denied.requiresAnyGroup': 'Su rol de base de datos no pertenece a ningún grupo de la consola.',
    'denied.offline': 'No disponible mientras la base de datos está sin conexión.'
  }
})
