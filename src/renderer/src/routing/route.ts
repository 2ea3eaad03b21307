import { create } from 'zustand'
import { hrefOf, parseHash } from './hash'

interface RouteState {
  segments: string[]
}

export const useRoute = create<RouteState>(() => ({ segments: parseHash(window.location.hash) }))

window.addEventListener('hashchange', () => {
  useRoute.setState({ segments: parseHash(window.location.hash) })
})

export function navigate(segments: readonly string[]): void {
  window.location.hash = hrefOf(segments)
}
