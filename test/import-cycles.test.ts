// No import cycle in packages/*/src: a walk over the sources' import graph, with no
// network and no build. Edges: relative imports and `@regionless/*` imports (resolved to
// the package's source entry, as the test aliases do), static and dynamic, type-only
// imports included — a cycle through types still ties two files to each other.
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import ts from 'typescript'
import { describe, expect, it } from 'vitest'

const ROOT = fileURLToPath(new URL('..', import.meta.url))
const PACKAGES = join(ROOT, 'packages')

type Graph = Map<string, string[]>

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) return sourceFiles(path)
    return /\.tsx?$/.test(entry.name) && !entry.name.endsWith('.d.ts') ? [path] : []
  })
}

/** Every module specifier a file imports or re-exports, `import()` included (TypeScript's scanner, no full parse). */
const specifiersOf = (file: string): string[] =>
  ts.preProcessFile(readFileSync(file, 'utf8'), true, true).importedFiles.map((ref) => ref.fileName)

/** The source file a specifier names, `undefined` for a third-party package; throws when it names none. */
function resolveSpecifier(from: string, specifier: string): string | undefined {
  let base: string
  if (specifier.startsWith('.')) base = resolve(dirname(from), specifier).replace(/\.js$/, '')
  else if (specifier.startsWith('@regionless/')) {
    const [name, ...sub] = specifier.slice('@regionless/'.length).split('/')
    base = join(PACKAGES, name as string, 'src', ...(sub.length ? sub : ['index']))
  } else return undefined
  const candidates = [`${base}.ts`, `${base}.tsx`, join(base, 'index.ts')]
  const hit = candidates.find((path) => existsSync(path))
  if (!hit) throw new Error(`${relative(ROOT, from)}: cannot resolve '${specifier}'`)
  return hit
}

function importGraph(): Graph {
  const files = readdirSync(PACKAGES)
    .map((name) => join(PACKAGES, name, 'src'))
    .filter((src) => existsSync(src))
    .flatMap(sourceFiles)
  return new Map(
    files.map((file) => [file, specifiersOf(file).flatMap((specifier) => resolveSpecifier(file, specifier) ?? [])]),
  )
}

/** One cycle per strongly connected component of more than one file (or a file importing itself). */
function findCycles(graph: Graph): string[][] {
  const index = new Map<string, number>()
  const low = new Map<string, number>()
  const stack: string[] = []
  const onStack = new Set<string>()
  const cycles: string[][] = []
  let next = 0
  // Tarjan's algorithm; the graph has a few hundred nodes, so recursion depth is no concern.
  const connect = (node: string) => {
    index.set(node, next)
    low.set(node, next)
    next++
    stack.push(node)
    onStack.add(node)
    for (const to of graph.get(node) ?? []) {
      if (!index.has(to)) {
        connect(to)
        low.set(node, Math.min(low.get(node)!, low.get(to)!))
      } else if (onStack.has(to)) low.set(node, Math.min(low.get(node)!, index.get(to)!))
    }
    if (low.get(node) !== index.get(node)) return
    const component: string[] = []
    let member: string
    do {
      member = stack.pop()!
      onStack.delete(member)
      component.push(member)
    } while (member !== node)
    if (component.length > 1 || graph.get(node)?.includes(node)) cycles.push(component.reverse())
  }
  for (const node of graph.keys()) if (!index.has(node)) connect(node)
  return cycles
}

describe('import cycles', () => {
  it('are found by the walk when there is one', () => {
    const graph: Graph = new Map([
      ['a', ['b']],
      ['b', ['c']],
      ['c', ['a', 'd']],
      ['d', []],
      ['e', ['e']],
    ])
    expect(findCycles(graph)).toEqual([['a', 'b', 'c'], ['e']])
    expect(
      findCycles(
        new Map([
          ['a', ['b']],
          ['b', []],
        ]),
      ),
    ).toEqual([])
  })

  it('do not exist in packages/*/src (type-only and dynamic imports included)', () => {
    const graph = importGraph()
    // The walk covers every package's sources, and the edges between packages.
    const packages = new Set([...graph.keys()].map((file) => relative(PACKAGES, file).split('/')[0]))
    expect([...packages].sort()).toEqual(['backend', 'client', 'emulator', 'react', 'verifier'])
    const crossPackage = [...graph].flatMap(([from, to]) =>
      to.filter((file) => relative(PACKAGES, file).split('/')[0] !== relative(PACKAGES, from).split('/')[0]),
    )
    expect(crossPackage.length).toBeGreaterThan(0)
    const cycles = findCycles(graph).map((cycle) => cycle.map((file) => relative(ROOT, file)).join(' → '))
    expect(cycles).toEqual([])
  })
})
