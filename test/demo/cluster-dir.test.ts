import { chmodSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir, userInfo } from 'node:os'
import path from 'node:path'
import { afterEach, beforeEach, expect, it } from 'vitest'
import { initdbTempDir, locateCluster } from '../../src/main/demo/cluster-dir'

/**
 * As root the demo cluster runs as 'postgres', and initdb reads its password file from the temp
 * folder: on a machine whose temp folder is 0700 the first start failed. The file then goes next to
 * the cluster, which that user can enter.
 */

const asRoot = userInfo().uid === 0
let scratch: string
let savedTmp: string | undefined
beforeEach(() => {
  savedTmp = process.env.TMPDIR
  scratch = mkdtempSync(path.join(tmpdir(), 'cluster-dir-'))
  chmodSync(scratch, 0o755)
})
afterEach(() => {
  if (savedTmp === undefined) delete process.env.TMPDIR
  else process.env.TMPDIR = savedTmp
  rmSync(scratch, { recursive: true, force: true })
})

it('puts initdb’s password file next to the cluster when postgres cannot enter the temp folder (as root), else leaves the temp folder', async () => {
  const location = await locateCluster(path.join(scratch, 'data'))
  const closed = path.join(scratch, 'closed-tmp')
  mkdirSync(closed, { mode: 0o700 })
  process.env.TMPDIR = closed
  // Another user runs initdb as itself: whatever the temp folder's mode, it may read its own file.
  expect(initdbTempDir(location)).toBe(asRoot ? path.dirname(location.dir) : null)
  expect(location.asPostgresUser).toBe(asRoot)

  const open = path.join(scratch, 'open-tmp')
  mkdirSync(open, { mode: 0o755 })
  process.env.TMPDIR = open
  expect(initdbTempDir(location)).toBeNull()
})
