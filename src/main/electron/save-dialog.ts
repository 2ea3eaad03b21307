import type { SaveDialogOptions } from 'electron'
import type { ChooseSaveFile } from '../exports/save'

/** The part of Electron's dialog module used here, over the console's window type. */
export interface DialogLike<W> {
  showSaveDialog(window: W, options: SaveDialogOptions): Promise<{ canceled: boolean; filePath?: string }>
}

/**
 * The Electron half of exports.save: the native save dialog, attached to the console's window,
 * suggesting the export's own file name. Everything else of the export path runs under plain Node.
 */
export function saveDialogChooser<W extends { isDestroyed(): boolean }>(dialog: DialogLike<W>, window: () => W | null): ChooseSaveFile {
  return async (suggestedName) => {
    const parent = window()
    if (!parent || parent.isDestroyed()) return null
    const extension = /\.(\w+)$/.exec(suggestedName)?.[1]
    const choice = await dialog.showSaveDialog(parent, {
      defaultPath: suggestedName,
      ...(extension ? { filters: [{ name: extension.toUpperCase(), extensions: [extension] }] } : {})
    })
    return choice.canceled || !choice.filePath ? null : choice.filePath
  }
}
