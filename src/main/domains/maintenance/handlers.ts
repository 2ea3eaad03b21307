import { requireCapability } from '../../rpc/gate'
import type { AreaHandlers, HandlerContext } from '../../rpc/types'
import type { Capability } from '../../../shared/capabilities'
import { RpcError } from '../../../shared/rpc/errors'
import { maintenanceStatus, setSchedule } from './server-queries'

function gated(ctx: HandlerContext, capability: Capability) {
  requireCapability(ctx.backend, capability)
  const db = ctx.backend.db
  if (!db) throw new RpcError('OFFLINE', 'Maintenance needs the database.')
  return db
}

export const maintenanceHandlers: AreaHandlers<'maintenance'> = {
  'maintenance.status': async (_input, ctx) => maintenanceStatus(gated(ctx, 'area.maintenance')),
  'maintenance.runNow': async ({ job }, ctx) => {
    gated(ctx, 'maintenance.run')
    // The run goes on after the answer; the screen follows it in maintenance.status.
    const { finished } = await ctx.backend.maintenance.runNow(job)
    void finished
    return { started: true }
  },
  'maintenance.setSchedule': async (schedule, ctx) => setSchedule(gated(ctx, 'maintenance.schedule'), schedule)
}
