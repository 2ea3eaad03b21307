import { adoptLaunchToken } from './transport'

// A module of its own, imported first by main.tsx: imports run before main.tsx's body, and the
// router reads the address when it is imported; it must never see `#token=…`.
adoptLaunchToken()
