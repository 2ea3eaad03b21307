import { create } from 'zustand'
import type { WatermarkEvent, WatermarkHold } from '../../../shared/events'

/** The transaction holding the sync's watermark back, as the main process last reported it (null: none). */
export const useWatermark = create<{ hold: WatermarkHold | null; apply(event: WatermarkEvent): void }>((set) => ({
  hold: null,
  apply(event) {
    set({ hold: event.hold })
  }
}))
