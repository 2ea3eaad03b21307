import yauzl from 'yauzl'

/** Every entry of a ZIP file, each read whole (test files are small): a reader independent of the writer under test (yazl). */
export async function unzip(file: string): Promise<Map<string, Buffer>> {
  const zip = await new Promise<yauzl.ZipFile>((resolve, reject) => yauzl.open(file, { lazyEntries: true }, (e, z) => (e ? reject(e) : resolve(z!))))
  const files = new Map<string, Buffer>()
  await new Promise<void>((resolve, reject) => {
    zip.on('entry', (entry: yauzl.Entry) =>
      zip.openReadStream(entry, (error, stream) => {
        if (error) return reject(error)
        const chunks: Buffer[] = []
        stream!.on('data', (c: Buffer) => chunks.push(c))
        stream!.on('error', reject)
        stream!.on('end', () => {
          files.set(entry.fileName, Buffer.concat(chunks))
          zip.readEntry()
        })
      })
    )
    zip.on('end', resolve)
    zip.on('error', reject)
    zip.readEntry()
  })
  return files
}
