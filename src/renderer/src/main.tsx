import './rpc/zod-jitless' // before any schema parses: no eval probe under the CSP
import './rpc/adopt-launch-token' // next: takes the launch token out of the address before the router reads it
import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import { App } from './frame/App'
import { onServerEvent } from './rpc/transport'
import { useConnection, watchConnection } from './stores/connection'
import { watchInbox } from './stores/inbox'
import { notifyError } from './stores/notify'
import { reflectPreferencesOnDocument, usePreferences } from './stores/preferences'
import { useProgress } from './stores/progress'
import { useWatermark } from './stores/watermark'
import './styles/tokens.css'
import './styles/base.css'
import './styles/frame.css'
import './styles/components.css'

reflectPreferencesOnDocument()

onServerEvent((event) => {
  if (event.type === 'progress') useProgress.getState().apply(event)
  else if (event.type === 'watermark') useWatermark.getState().apply(event)
  else useConnection.getState().applyEvent(event)
})

watchConnection()
watchInbox()
usePreferences.getState().load().catch(notifyError)

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>
)
