import { readFile, readdir } from 'node:fs/promises'
import path from 'node:path'

/** Every file below `dir` whose bytes contain `needle` (as UTF-8 or UTF-16LE). */
export async function filesContaining(dir: string, needle: string): Promise<string[]> {
  const patterns = [Buffer.from(needle, 'utf8'), Buffer.from(needle, 'utf16le')]
  const found: string[] = []
  const entries = await readdir(dir, { withFileTypes: true, recursive: true }).catch(() => [])
  for (const entry of entries) {
    if (!entry.isFile()) continue
    const file = path.join(entry.parentPath, entry.name)
    const bytes = await readFile(file).catch(() => null)
    if (bytes && patterns.some((pattern) => bytes.includes(pattern))) found.push(file)
  }
  return found
}
