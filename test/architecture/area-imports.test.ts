import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { findCrossAreaImports } from '../../scripts/area-imports'

const root = path.resolve(__dirname, '../..')

describe('areas import nothing from one another', () => {
  it('no main-process domain imports another domain', () => {
    expect(findCrossAreaImports(root).filter((found) => found.file.startsWith('src/main/'))).toEqual([])
  })

  it('no renderer area imports another area', () => {
    expect(findCrossAreaImports(root).filter((found) => found.file.startsWith('src/renderer/'))).toEqual([])
  })

  describe('a planted violation in a copy of the tree is found', () => {
    const copy = mkdtempSync(path.join(tmpdir(), 'area-imports-'))
    for (const folder of ['src/main/domains', 'src/renderer/src/areas']) cpSync(path.join(root, folder), path.join(copy, folder), { recursive: true })
    afterAll(() => rmSync(copy, { recursive: true, force: true }))

    it('a domain importing another domain, statically or lazily', () => {
      writeFileSync(
        path.join(copy, 'src/main/domains/audit/planted.ts'),
        [
          "import type { Backend } from '../../backend-types'",
          "export { tenantsHandlers } from '../tenants/handlers'",
          "export const later = () => import('../executions/server-queries')",
          '// a comment naming ../tenants/directory is not an import',
          'export type B = Backend'
        ].join('\n')
      )
      const planted = findCrossAreaImports(copy).filter((found) => found.file === 'src/main/domains/audit/planted.ts')
      expect(planted).toEqual([
        { file: 'src/main/domains/audit/planted.ts', line: 2, specifier: '../tenants/handlers', target: 'src/main/domains/tenants' },
        { file: 'src/main/domains/audit/planted.ts', line: 3, specifier: '../executions/server-queries', target: 'src/main/domains/executions' }
      ])
    })

    it('a renderer area importing another area, type-only included; the registry may import every area', () => {
      writeFileSync(path.join(copy, 'src/renderer/src/areas/Overview/Planted.tsx'), "import type { Area } from '../types'\nimport type { X } from '../Tenants/format'\nexport type Y = [Area, X]\n")
      writeFileSync(path.join(copy, 'src/renderer/src/areas/registry-extra.ts'), "export * from './Tenants/format'\n")
      const planted = findCrossAreaImports(copy).filter((found) => found.file.includes('Planted') || found.file.includes('registry-extra'))
      expect(planted).toEqual([{ file: 'src/renderer/src/areas/Overview/Planted.tsx', line: 2, specifier: '../Tenants/format', target: 'src/renderer/src/areas/Tenants' }])
    })
  })
})
