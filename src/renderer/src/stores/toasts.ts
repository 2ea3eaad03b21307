import { create } from 'zustand'

export type ToastKind = 'error' | 'success' | 'info'

export interface Toast {
  id: number
  kind: ToastKind
  title: string
  detail?: string
}

interface ToastState {
  toasts: Toast[]
  push(toast: Omit<Toast, 'id'>): void
  dismiss(id: number): void
}

/** Errors stay until dismissed (an operator may be looking elsewhere); confirmations fade. */
const AUTO_DISMISS_MS: Record<ToastKind, number | null> = { error: null, success: 5000, info: 5000 }
const MAX_VISIBLE = 4

let nextId = 1

export const useToasts = create<ToastState>((set, get) => ({
  toasts: [],
  push(toast) {
    const id = nextId++
    set((state) => ({ toasts: [...state.toasts, { ...toast, id }].slice(-MAX_VISIBLE) }))
    const delay = AUTO_DISMISS_MS[toast.kind]
    if (delay !== null) setTimeout(() => get().dismiss(id), delay)
  },
  dismiss(id) {
    set((state) => ({ toasts: state.toasts.filter((toast) => toast.id !== id) }))
  }
}))
