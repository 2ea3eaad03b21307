import { Component, Suspense, type ReactNode } from 'react'
import type { AreaDefinition } from '../areas/types'
import { ErrorState, LoadingState } from '../components/states'

/** A screen that throws while rendering shows an error state instead of blanking the whole console. */
class ScreenBoundary extends Component<{ children: ReactNode; resetKey: string }, { error: unknown }> {
  override state = { error: null as unknown }

  static getDerivedStateFromError(error: unknown) {
    return { error }
  }

  override componentDidUpdate(previous: { resetKey: string }) {
    if (previous.resetKey !== this.props.resetKey && this.state.error) this.setState({ error: null })
  }

  override render() {
    if (this.state.error) return <ErrorState error={this.state.error} onRetry={() => this.setState({ error: null })} />
    return this.props.children
  }
}

export function AreaOutlet({ area, path }: { area: AreaDefinition; path: string[] }) {
  const { Screen } = area
  return (
    <ScreenBoundary resetKey={[area.id, ...path].join('/')}>
      <Suspense fallback={<LoadingState />}>
        <Screen path={path} />
      </Suspense>
    </ScreenBoundary>
  )
}
