import type { InboxEntry } from '../inbox.js'
import { escapeHtml } from './http-util.js'

/** Only http(s) links become clickable, so a hostile `redirectUri` cannot smuggle `javascript:`. */
function safeHref(link: string): string | undefined {
  try {
    const url = new URL(link)
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : undefined
  } catch {
    return undefined
  }
}

function row(entry: InboxEntry): string {
  const code = entry.code ? `<div class="code">${escapeHtml(entry.code)}</div>` : ''
  const href = entry.link ? safeHref(entry.link) : undefined
  const link = entry.link
    ? href
      ? `<a class="link" href="${escapeHtml(href)}">Open the sign-in link</a>`
      : `<code>${escapeHtml(entry.link)}</code>`
    : ''
  return `<article>
  <header><time>${escapeHtml(entry.sentAt)}</time> <span class="region">${escapeHtml(entry.region)}</span>
  <span class="kind">${escapeHtml(entry.kind)}</span></header>
  <h2>${escapeHtml(entry.subject)}</h2>
  <p class="to">to ${escapeHtml(entry.to)}</p>
  ${code}${link}
  <details><summary>text</summary><pre>${escapeHtml(entry.text)}</pre></details>
</article>`
}

/** The `/inbox` page: every email, newest first, with its code or link up front. */
export function renderInboxPage(entries: InboxEntry[]): string {
  const body = entries.length ? entries.map(row).join('\n') : '<p class="empty">No email yet.</p>'
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="refresh" content="5">
<title>Regionless emulator inbox (${entries.length})</title>
<style>
body { font: 15px/1.4 system-ui, sans-serif; max-width: 46rem; margin: 2rem auto; padding: 0 1rem; color: #222; }
article { border: 1px solid #ddd; border-radius: 8px; padding: .75rem 1rem; margin: .75rem 0; }
header { color: #666; font-size: 13px; } .region { font-weight: 600; color: #035; } .kind { float: right; }
h2 { font-size: 16px; margin: .25rem 0; } .to { margin: 0; color: #444; }
.code { font: 600 28px/1.2 ui-monospace, monospace; letter-spacing: .2em; margin: .5rem 0; }
.link { display: inline-block; margin: .5rem 0; } pre { white-space: pre-wrap; } .empty { color: #777; }
</style>
</head>
<body>
<h1>Inbox</h1>
${body}
</body>
</html>`
}
