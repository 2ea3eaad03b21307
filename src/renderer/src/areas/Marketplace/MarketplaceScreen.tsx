import type { AreaScreenProps } from '../types'
import { QueueScreen } from './QueueScreen'
import { ReviewsScreen } from './ReviewsScreen'
import { ModerationSettingsScreen } from './SettingsScreen'
import './marketplace.css'

/** #/marketplace → the review queue; #/marketplace/<template id> → the queue with the template open; #/marketplace/reviews → reviews; #/marketplace/settings → SLA and claim lease. */
export default function MarketplaceScreen({ path }: AreaScreenProps) {
  const [first] = path
  if (first === 'reviews') return <ReviewsScreen />
  if (first === 'settings') return <ModerationSettingsScreen />
  return <QueueScreen openId={first} />
}
