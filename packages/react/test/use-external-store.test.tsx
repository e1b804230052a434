import { createElement } from 'react'
import { renderToString } from 'react-dom/server'
import { describe, expect, it } from 'vitest'
import { type ExternalStore, useExternalStore } from '../src/use-external-store.js'

function Show({ store }: { store: ExternalStore<{ email: string }> }) {
  return createElement('p', null, useExternalStore(store).email)
}

describe('useExternalStore', () => {
  it('renders the snapshot on the server without touching window', () => {
    const store: ExternalStore<{ email: string }> = {
      subscribe: () => () => {},
      getSnapshot: () => ({ email: 'ada@example.com' }),
    }
    expect(typeof window).toBe('undefined')
    expect(renderToString(createElement(Show, { store }))).toBe('<p>ada@example.com</p>')
  })
})
