import type { SaveDialogOptions } from 'electron'
import { describe, expect, it } from 'vitest'
import { saveDialogChooser } from '../../src/main/electron/save-dialog'

class FakeWindow {
  destroyed = false
  isDestroyed() {
    return this.destroyed
  }
}

function fakeDialog(answer: { canceled: boolean; filePath?: string }) {
  const asked: { window: FakeWindow; options: SaveDialogOptions }[] = []
  return { asked, showSaveDialog: async (window: FakeWindow, options: SaveDialogOptions) => (asked.push({ window, options }), answer) }
}

describe('the save dialog of exports.save (Electron seam)', () => {
  it('asks on the console window with the export name and its extension, and returns the chosen path', async () => {
    const window = new FakeWindow()
    const dialog = fakeDialog({ canceled: false, filePath: '/home/ana/audit.csv' })
    expect(await saveDialogChooser(dialog, () => window)('audit-log-20260101-120000.csv')).toBe('/home/ana/audit.csv')
    expect(dialog.asked).toEqual([{ window, options: { defaultPath: 'audit-log-20260101-120000.csv', filters: [{ name: 'CSV', extensions: ['csv'] }] } }])
  })

  it('answers null when cancelled, and never opens a dialog without a live window', async () => {
    expect(await saveDialogChooser(fakeDialog({ canceled: true, filePath: '' }), () => new FakeWindow())('x.csv')).toBeNull()
    const dialog = fakeDialog({ canceled: false, filePath: '/tmp/x.csv' })
    const closed = Object.assign(new FakeWindow(), { destroyed: true })
    expect(await saveDialogChooser(dialog, () => closed)('x.csv')).toBeNull()
    expect(await saveDialogChooser(dialog, () => null)('x.csv')).toBeNull()
    expect(dialog.asked).toEqual([])
  })
})
