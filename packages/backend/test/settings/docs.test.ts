import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { replaceBlock, SETTINGS_DOCS } from '../../src/settings/doc-tables.js'

const root = new URL('../../../../', import.meta.url).pathname

describe('the settings tables in the docs', () => {
  it.each(SETTINGS_DOCS)(
    '$file ($block) is what the settings render (run `node --import tsx scripts/settings-docs.ts`)',
    ({ file, block, render }) => {
      const doc = readFileSync(`${root}${file}`, 'utf8')
      expect(replaceBlock(doc, block, render())).toBe(doc)
    },
  )

  it('replaces only the block, keeping its indentation', () => {
    const doc = 'a\n  <!-- settings:x -->\n  old\n  <!-- /settings:x -->\nb\n'
    expect(replaceBlock(doc, 'x', '| 1 |\n| 2 |')).toBe(
      'a\n  <!-- settings:x -->\n  | 1 |\n  | 2 |\n  <!-- /settings:x -->\nb\n',
    )
    expect(() => replaceBlock(doc, 'y', '')).toThrow(/settings:y/)
  })
})
