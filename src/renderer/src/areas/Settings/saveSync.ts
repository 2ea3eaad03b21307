import type { PreferencesPatch, SyncSettings } from '../../../../shared/rpc/areas/settings'
import { rpc } from '../../rpc/transport'

/** Saves part of the sync settings and hands back all of them, as the settings file now holds them. */
export async function saveSync(patch: NonNullable<PreferencesPatch['sync']>): Promise<SyncSettings> {
  return (await rpc.call('settings.update', { sync: patch })).sync
}
