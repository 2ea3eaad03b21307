import type { AreaHandlers } from '../rpc/types'
import { saveExport } from './save'

export const exportsHandlers: AreaHandlers<'exports'> = {
  'exports.save': async ({ exportId }, { backend }) => saveExport(backend.exports, backend.chooseSaveFile, exportId)
}
