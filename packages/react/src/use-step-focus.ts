'use client'
import { type RefObject, useEffect, useRef } from 'react'

/**
 * Focuses `target` unless the user is busy elsewhere on the page: only when
 * focus is inside `root`, or nowhere (on `<body>`, where it falls when the
 * element that had it is removed or disabled).
 */
export function focusIfFree(root: HTMLElement | null, target: HTMLElement | null | undefined): void {
  const active = typeof document === 'undefined' ? null : document.activeElement
  if (!target || (active && active !== document.body && !root?.contains(active))) return
  target.focus()
}

/**
 * Moves focus to what a step is about each time `step` changes (its field,
 * or its heading), so keyboard and screen-reader users never land on `<body>`.
 * On mount focus moves only when `onMount` is true.
 *
 * @example
 * useStepFocus(step, rootRef, () => (step === 'code' ? codeRef.current : headingRef.current), step === 'code')
 */
export function useStepFocus(
  step: string,
  root: RefObject<HTMLElement | null>,
  target: () => HTMLElement | null | undefined,
  onMount: boolean,
): void {
  const shown = useRef<string | null>(null)
  // No dependency list: a cheap comparison on every commit, with the latest `target`.
  useEffect(() => {
    if (shown.current === step) return
    const first = shown.current === null
    shown.current = step
    if (!first || onMount) focusIfFree(root.current, target())
  })
}
