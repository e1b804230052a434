// Writes the settings tables into the docs (`node --import tsx scripts/settings-docs.ts`). They are
// rendered from packages/backend/src/settings; packages/backend/test/settings/docs.test.ts fails when
// a doc differs, so run this after changing a setting.
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { replaceBlock, SETTINGS_DOCS } from '../packages/backend/src/settings/doc-tables.js'

const root = new URL('..', import.meta.url).pathname
for (const { file, block, render } of SETTINGS_DOCS) {
  const path = join(root, file)
  const before = readFileSync(path, 'utf8')
  const after = replaceBlock(before, block, render())
  if (after !== before) writeFileSync(path, after)
  console.log(`${after === before ? 'current' : 'updated'}  ${file} (${block})`)
}
