import type { ComponentType, LazyExoticComponent } from 'react'
import type { AreaCapability, Capability } from '../../../shared/capabilities'
import type { InboxItem } from '../../../shared/rpc/areas/inbox'
import type { Catalog, Locale, Messages } from '../i18n/define'
import type { IconName } from '../components/Icon'

/** Every area's catalog names itself; the nav, the page title and the palette read these keys. */
export type AreaMessages = Messages & { 'area.title': string; 'area.description': string }

export interface AreaScreenProps {
  /** The address segments after the area's own, e.g. ['connections'] for #/settings/connections. */
  path: string[]
}

export interface PaletteItem {
  id: string
  label: string
  hint?: string
  icon?: IconName
  /** Where choosing the item goes (a hash address), or what it does. */
  href?: string
  run?: () => void | Promise<void>
}

/**
 * Something the command palette can search besides the areas themselves, e.g. tenants by name.
 * `search` is called as the operator types (debounced); a stale call is aborted through `signal`.
 */
export interface PaletteProvider {
  id: string
  minQueryLength?: number
  /** What the operator's groups must allow for the provider to be asked (src/shared/capabilities.ts). */
  capability?: Capability
  search(query: string, context: { locale: Locale; signal: AbortSignal }): Promise<PaletteItem[]>
}

export type NavSection = 'monitor' | 'operate' | 'system'

/**
 * How an area words its own inbox items (src/shared/rpc/areas/inbox.ts) in the chosen language,
 * from its own catalog: `title` says what needs the operator, `detail` the figures behind it.
 * Figures arrive raw; the area formats them with Intl for the locale.
 */
export type InboxWording = (item: InboxItem, locale: Locale) => { title: string; detail: string }

export interface AreaDefinition<M extends AreaMessages = AreaMessages> {
  /** The first address segment: #/<id>/… */
  id: string
  section: NavSection
  /** Who sees the area in the navigation and the palette: its entry in src/shared/capabilities.ts. */
  capability: AreaCapability
  icon: IconName
  catalog: Catalog<M>
  /** Extra words (both languages) the palette should match, e.g. ['profiles', 'perfiles']. */
  keywords?: string[]
  Screen: LazyExoticComponent<ComponentType<AreaScreenProps>>
  paletteProvider?: PaletteProvider
  /** Words the inbox items whose `area` is this area's id (required for an area that has an inbox provider). */
  inbox?: InboxWording
}

/** An area's icon is the one named like the area, unless it says otherwise; an id no icon is named after must name one. */
type AreaIcon<Id extends string> = Id extends IconName ? { icon?: IconName } : { icon: IconName }

/** An area's id is the name of its capability, 'area.<id>': an area the table does not list cannot be defined. */
type AreaId = AreaCapability extends `area.${infer Id}` ? Id : never

/**
 * An area by its id (its address segment, its capability and, unless it names another, its icon)
 * and its parts. Keeps each area's catalog type checked while the registry holds them side by side.
 */
export function defineArea<M extends AreaMessages, Id extends AreaId>(id: Id, area: Omit<AreaDefinition<M>, 'id' | 'icon' | 'capability'> & AreaIcon<Id>): AreaDefinition {
  // Without an icon of its own, Id is an IconName (AreaIcon requires one otherwise).
  const icon: IconName = area.icon ?? (id as IconName)
  const capability: AreaCapability = `area.${id}`
  return { ...area, id, icon, capability } as unknown as AreaDefinition
}
