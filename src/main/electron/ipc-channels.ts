/** The IPC channels between preload and main; the page never names one itself. */
export const IPC_CHANNELS = {
  rpc: 'console:rpc',
  event: 'console:event',
  /** Sent by the preload when the page starts listening: main replays the jobs still running. */
  replay: 'console:replay'
} as const
