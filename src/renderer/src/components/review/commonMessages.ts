import { defineCatalog } from '../../i18n/define'

/** Strings the executions and audit-log screens share: where the data comes from, sync, filters. */
export const reviewCatalog = defineCatalog({
  en: {
    'source.server': 'Live database',
    'source.cache': 'Offline cache · synced {when}',
    'source.cacheNever': 'Offline cache',
    'source.label': 'Data source',
    'sync.now': 'Sync now',
    'sync.running': 'Syncing…',
    'sync.done': 'Offline cache synced: {rows} rows',
    'sync.disabledOffline': 'Syncing needs the database; the cache syncs by itself when the console is back online.',
    'filter.tenant': 'Tenant',
    'filter.allTenants': 'All tenants',
    'filter.time': 'Time',
    'filter.time.hour': 'Last hour',
    'filter.time.day': 'Last 24 hours',
    'filter.time.week': 'Last 7 days',
    'filter.time.month': 'Last 30 days',
    'filter.time.all': 'Any time',
    'filter.clear': 'Clear filters',
    'list.loadedMore': '{count} rows loaded · scroll for more',
    'list.loaded': '{count} rows',
    'detail.close': 'Close detail',
    'detail.empty': 'Select a row to see its details.'
  },
  es: {
    'source.server': 'Base de datos en vivo',
    'source.cache': 'Caché sin conexión · sincronizada {when}',
    'source.cacheNever': 'Caché sin conexión',
    'source.label': 'Origen de los datos',
    'sync.now': 'Sincronizar ahora',
    'sync.running': 'Sincronizando…',
    'sync.done': 'Caché sin conexión sincronizada: {rows} filas',
    'sync.disabledOffline': 'Sincronizar necesita la base de datos; la caché se sincroniza sola cuando la consola vuelve a estar en línea.',
    'filter.tenant': 'Cliente',
    'filter.allTenants': 'Todos los clientes',
    'filter.time': 'Periodo',
    'filter.time.hour': 'Última hora',
    'filter.time.day': 'Últimas 24 horas',
    'filter.time.week': 'Últimos 7 días',
    'filter.time.month': 'Últimos 30 días',
    'filter.time.all': 'Cualquier fecha',
    'filter.clear': 'Quitar filtros',
    'list.loadedMore': '{count} filas cargadas · desplázate para ver más',
    'list.loaded': '{count} filas',
    'detail.close': 'Cerrar detalle',
    'detail.empty': 'Selecciona una fila para ver su detalle.'
  }
})
