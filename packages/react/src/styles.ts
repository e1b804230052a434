/**
 * The default look of `<PasswordlessLogin/>`, scoped to `.rl-login` and driven
 * by CSS variables, so a theme is a few variables on any ancestor:
 * `--rl-accent`, `--rl-accent-text`, `--rl-text`, `--rl-muted`, `--rl-bg`,
 * `--rl-border`, `--rl-error`, `--rl-radius`, `--rl-font`, `--rl-gap`.
 *
 * An empty `.rl-notices` is taken out of the grid (no gap) with `position`,
 * not `display: none`, so its live region is still heard when it fills.
 */
export const defaultCss = `
.rl-login{--_accent:var(--rl-accent,#1f5fd1);--_accent-text:var(--rl-accent-text,#fff);--_text:var(--rl-text,#1b1f24);--_muted:var(--rl-muted,#57606a);--_bg:var(--rl-bg,#fff);--_border:var(--rl-border,#8c959f);--_error:var(--rl-error,#b42318);--_radius:var(--rl-radius,8px);--_gap:var(--rl-gap,12px);font-family:var(--rl-font,system-ui,sans-serif);color:var(--_text);background:var(--_bg);max-width:22rem;display:grid;gap:var(--_gap)}
.rl-login h2{margin:0;font-size:1.25rem}
.rl-login form,.rl-step{display:grid;gap:var(--_gap)}
.rl-field{display:grid;gap:4px}
.rl-label{font-weight:600}
.rl-input{font:inherit;padding:10px 12px;border:1px solid var(--_border);border-radius:var(--_radius);background:var(--_bg);color:var(--_text)}
.rl-input[aria-invalid=true]{border-color:var(--_error);box-shadow:0 0 0 1px var(--_error)}
.rl-input[readonly]{background:color-mix(in srgb,var(--_border) 12%,var(--_bg))}
.rl-code{letter-spacing:.4em;font-variant-numeric:tabular-nums;font-size:1.25rem}
.rl-button{font:inherit;padding:10px 14px;border-radius:var(--_radius);border:1px solid var(--_accent);background:var(--_accent);color:var(--_accent-text);cursor:pointer}
.rl-button[disabled]{opacity:.6;cursor:default}
.rl-secondary{background:var(--_bg);color:var(--_accent)}
.rl-passkeys fieldset{border:0;margin:0;padding:0;display:grid;gap:var(--_gap)}
.rl-passkey-prompt,.rl-passkeys ul,.rl-passkeys li{display:grid;gap:var(--_gap);margin:0;padding:0;list-style:none}
.rl-link-button{font:inherit;background:none;border:none;padding:0;color:var(--_accent);text-decoration:underline;cursor:pointer;justify-self:start}
.rl-link-button[disabled]{color:var(--_muted);text-decoration:none;cursor:default}
.rl-muted{color:var(--_muted);margin:0}
.rl-notice{margin:0;padding:8px 12px;border-radius:var(--_radius);background:color-mix(in srgb,var(--_accent) 10%,var(--_bg))}
.rl-notices{display:grid;gap:var(--_gap)}
.rl-notices:empty{position:absolute}
.rl-sent{display:grid;gap:4px}
.rl-login h2:focus{outline:none}
.rl-error{margin:0;color:var(--_error);font-weight:600}
.rl-login :focus-visible{outline:3px solid color-mix(in srgb,var(--_accent) 60%,transparent);outline-offset:2px}
`
