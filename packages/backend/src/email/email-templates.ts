/** Values a template can use. In HTML templates they arrive HTML-escaped. */
export interface TemplateVars {
  /** The one-time code (code emails). */
  code?: string
  /** The full magic-link URL (link emails). */
  link?: string
  /** Minutes the code or link stays valid. */
  minutes: string
  /** The AWS region that sent the email. */
  region: string
}

/** A template part: a string with `{{code}}`, `{{link}}`, `{{minutes}}`, `{{region}}` placeholders, or a function. */
export type TemplateText = string | ((vars: TemplateVars) => string)

export interface EmailTemplate {
  subject: TemplateText
  text: TemplateText
  html: TemplateText
}

export interface EmailTemplates {
  code: EmailTemplate
  link: EmailTemplate
}

export type PartialTemplates = { code?: Partial<EmailTemplate>; link?: Partial<EmailTemplate> }

/**
 * Templates to override the defaults: a fixed set, or a function of the
 * user's locale (from the client metadata `locale`, else the `locale`
 * attribute) for teams that write their emails in several languages.
 */
export type TemplatesOption = PartialTemplates | ((locale: string | undefined) => PartialTemplates | undefined)

export const DEFAULT_TEMPLATES: EmailTemplates = {
  code: {
    subject: 'Your sign-in code',
    text: 'Your sign-in code is {{code}}.\n\nIt is valid for {{minutes}} minutes. If you did not try to sign in, ignore this email.',
    html: '<p>Your sign-in code is <strong style="font-size:1.4em;letter-spacing:0.1em">{{code}}</strong>.</p><p>It is valid for {{minutes}} minutes. If you did not try to sign in, ignore this email.</p>',
  },
  link: {
    subject: 'Your sign-in link',
    text: 'Open this link to sign in:\n\n{{link}}\n\nIt works once, for {{minutes}} minutes. If you did not try to sign in, ignore this email.',
    html: '<p><a href="{{link}}">Sign in</a></p><p>It works once, for {{minutes}} minutes. If you did not try to sign in, ignore this email.</p>',
  },
}

/** Escapes the five characters that matter in HTML text and attribute values. */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)
}

function fill(template: TemplateText, vars: TemplateVars): string {
  if (typeof template === 'function') return template(vars)
  return template.replace(
    /\{\{\s*(code|link|minutes|region)\s*\}\}/g,
    (_, name: keyof TemplateVars) => vars[name] ?? '',
  )
}

/**
 * Renders the subject, text and HTML of an email. Values are HTML-escaped
 * before they reach the HTML part (a link is user-influenced through the
 * redirect URL), and line breaks are removed from the subject.
 *
 * @example
 * renderEmail('code', { code: '123456', minutes: '15', region: 'eu-west-1' }) // { subject, text, html }
 */
export function renderEmail(
  kind: keyof EmailTemplates,
  vars: TemplateVars,
  option?: TemplatesOption,
  locale?: string,
): { subject: string; text: string; html: string } {
  const override = (typeof option === 'function' ? option(locale) : option)?.[kind]
  const template = { ...DEFAULT_TEMPLATES[kind], ...override }
  const escaped: TemplateVars = {
    minutes: escapeHtml(vars.minutes),
    region: escapeHtml(vars.region),
    ...(vars.code === undefined ? {} : { code: escapeHtml(vars.code) }),
    ...(vars.link === undefined ? {} : { link: escapeHtml(vars.link) }),
  }
  return {
    subject: fill(template.subject, vars)
      .replace(/[\r\n]+/g, ' ')
      .trim(),
    text: fill(template.text, vars),
    html: fill(template.html, escaped),
  }
}
