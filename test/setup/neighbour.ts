import pg from 'pg'

/** The machine's shared PostgreSQL, which other people's work uses at the same time (trust auth). */
export const SHARED_SERVER = { host: '127.0.0.1', port: 5432, user: 'postgres' }

/**
 * Opt-in test mode (AVIA_TEST_NEIGHBOUR_TX=1): a neighbour's long transaction on the shared
 * server, in a database of its own, holding a transaction id for the whole run. The cluster-wide
 * watermark pg_snapshot_xmin stays behind it, so a suite whose sync tests ran on that server
 * would stall; the suite must pass anyway. Returns the function that ends it and drops its
 * database.
 */
export async function holdNeighbourTransaction(runId: string): Promise<() => Promise<void>> {
  const database = `avia_neighbour_${runId}`
  const admin = sharedClient('postgres')
  await admin.connect()
  try {
    await admin.query(`create database ${admin.escapeIdentifier(database)}`)
  } finally {
    await admin.end()
  }
  const neighbour = sharedClient(database)
  const drop = async () => {
    await neighbour.end().catch(() => undefined)
    const client = sharedClient('postgres')
    await client.connect()
    try {
      await client.query(`drop database if exists ${client.escapeIdentifier(database)} with (force)`)
    } finally {
      await client.end()
    }
  }
  try {
    await neighbour.connect()
    await neighbour.query('begin')
    // A transaction holds the watermark back only once it has an xid, not merely by being open.
    await neighbour.query('select pg_current_xact_id()')
  } catch (error) {
    await drop()
    throw error
  }
  return async () => {
    await neighbour.query('rollback').catch(() => undefined)
    await drop()
  }
}

/** Whether the shared server answers, to play the neighbour. */
export async function sharedServerAnswers(): Promise<boolean> {
  const client = sharedClient('postgres')
  try {
    await client.connect()
    return true
  } catch {
    return false
  } finally {
    await client.end().catch(() => undefined)
  }
}

function sharedClient(database: string): pg.Client {
  const client = new pg.Client({ ...SHARED_SERVER, database, connectionTimeoutMillis: 5000 })
  client.on('error', () => {})
  return client
}
