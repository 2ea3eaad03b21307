import { useConnection } from '../../stores/connection'

export function useOnline(): boolean {
  return useConnection((state) => state.status?.state === 'online')
}
