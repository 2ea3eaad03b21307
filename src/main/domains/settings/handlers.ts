import type { AreaHandlers } from '../../rpc/types'

export const settingsHandlers: AreaHandlers<'settings'> = {
  'settings.get': async (_input, { backend }) => backend.settings.preferences(),
  'settings.update': async (patch, { backend }) => backend.settings.updatePreferences(patch)
}
