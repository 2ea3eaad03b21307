import { readdirSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { procedures } from '../../src/shared/rpc/procedures'
import { handlers } from '../../src/main/rpc/handlers'

const areasDir = fileURLToPath(new URL('../../src/shared/rpc/areas', import.meta.url))

async function loadAreas(): Promise<{ area: string; names: string[] }[]> {
  const files = readdirSync(areasDir).filter((file) => file.endsWith('.ts'))
  return Promise.all(
    files.map(async (file) => {
      const module = (await import(path.join(areasDir, file))) as Record<string, unknown>
      const tables = Object.entries(module).filter(([exported]) => exported.endsWith('Procedures'))
      return { area: path.basename(file, '.ts'), names: tables.flatMap(([, table]) => Object.keys(table as object)) }
    })
  )
}

describe('the procedure table', () => {
  it('the main process implements exactly the procedures of the table', () => {
    expect(Object.keys(handlers).sort()).toEqual(Object.keys(procedures).sort())
    for (const handler of Object.values(handlers)) expect(typeof handler).toBe('function')
  })

  it('every area is spread into the table and no two areas claim the same name', async () => {
    const areas = await loadAreas()
    const declared = areas.flatMap((a) => a.names)
    expect(new Set(declared).size).toBe(declared.length)
    expect(declared.sort()).toEqual(Object.keys(procedures).sort())
  })

  it('names are `area.verb`, the area being the module that declares them', async () => {
    for (const { area, names } of await loadAreas()) {
      for (const name of names) expect(name).toMatch(new RegExp(`^${area}\\.[a-z][A-Za-z]*$`))
    }
  })

  it('every procedure is a query or a mutation with a zod input schema', () => {
    for (const procedure of Object.values(procedures)) {
      expect(['query', 'mutation']).toContain(procedure.kind)
      expect(typeof procedure.input.safeParse).toBe('function')
    }
  })
})
