import type { AreaScreenProps } from '../types'
import { QueueScreen } from './QueueScreen'
import { ReviewsScreen } from './ReviewsScreen'
import './marketplace.css'

/** #/marketplace → the review queue; #/marketplace/<template id> → the queue with the template open; #/marketplace/reviews → reviews. */
export default function MarketplaceScreen({ path }: AreaScreenProps) {
  const [first] = path
  if (first === 'reviews') return <ReviewsScreen />
  return <QueueScreen openId={first} />
}
